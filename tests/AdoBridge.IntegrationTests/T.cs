namespace AdoBridge.IntegrationTests;
public class Smoke { [Fact] public void A() => 1.ShouldBe(1); }
