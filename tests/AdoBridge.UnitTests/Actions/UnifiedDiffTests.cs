using AdoBridge.Actions;

namespace AdoBridge.UnitTests.Actions;

/// <summary>The diffs of the changed-files action read like `git diff -U3` (expected texts made with git 2.x, less its
/// optional function-name context after @@).</summary>
public sealed class UnifiedDiffTests
{
    [Fact]
    public void TwoDistantChanges_AreTwoHunksWithThreeLinesOfContext()
    {
        var diff = UnifiedDiff.Create("/f.txt", "a\nb\nc\nd\ne\nf\ng\nh\ni\nj\nk\nl\nm\n", "a\nB\nc\nd\ne\nf\ng\nh\ni\nj\nk\nL\nm\nn\n");

        diff.ShouldBe("--- a/f.txt\n+++ b/f.txt\n@@ -1,5 +1,5 @@\n a\n-b\n+B\n c\n d\n e\n@@ -9,5 +9,6 @@\n i\n j\n k\n-l\n+L\n m\n+n\n");
    }

    [Fact]
    public void ARemovedFirstLine_CountsOneLineOnTheNewSide()
        => UnifiedDiff.Create("/o", "x\ny\n", "y\n").ShouldBe("--- a/o\n+++ b/o\n@@ -1,2 +1 @@\n-x\n y\n");

    [Fact]
    public void NewAndDeletedFiles_UseDevNull()
    {
        UnifiedDiff.Create("/n", null, "one\n").ShouldBe("--- /dev/null\n+++ b/n\n@@ -0,0 +1 @@\n+one\n");
        UnifiedDiff.Create("/d", "one\ntwo\n", null).ShouldBe("--- a/d\n+++ /dev/null\n@@ -1,2 +0,0 @@\n-one\n-two\n");
    }

    [Fact]
    public void SameText_IsNoDiff_AndHugeTextsAreRefused()
    {
        UnifiedDiff.Create("/s", "same\n", "same\n").ShouldBeEmpty();
        var big = string.Concat(Enumerable.Repeat("line\n", 3000));
        UnifiedDiff.TooLarge(big, big).ShouldBeTrue();
        UnifiedDiff.TooLarge("a\n", "b\n").ShouldBeFalse();
    }
}
