using System.Net.Http;
using AdoBridge.Proxy;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Yarp.ReverseProxy.Forwarder;

namespace AdoBridge.UnitTests.Proxy;

/// <summary>Each way YARP's forwarder can fail, as the caller hears it: a problem with a stable code, or nothing.</summary>
public sealed class ProxyFailuresTests
{
    [Theory]
    [InlineData(ForwarderError.Request, 502, "azure_devops_unreachable")]
    [InlineData(ForwarderError.RequestCreation, 502, "azure_devops_unreachable")]
    [InlineData(ForwarderError.ResponseHeaders, 502, "azure_devops_unreachable")]
    [InlineData(ForwarderError.RequestBodyDestination, 502, "azure_devops_unreachable")]
    [InlineData(ForwarderError.RequestTimedOut, 504, "azure_devops_timeout")]
    [InlineData(ForwarderError.RequestBodyClient, 400, "request_body_incomplete")]
    public void BeforeTheResponse_IsAProblemWithItsCode(ForwarderError error, int status, string code)
    {
        var problem = ProxyFailures.Problem(error, new IOException("broken pipe")).ShouldBeOfType<ProblemHttpResult>();

        problem.StatusCode.ShouldBe(status);
        problem.ProblemDetails.Extensions["code"].ShouldBe(code);
    }

    [Fact]
    public void Unreachable_NamesTheSocketError()
    {
        var refused = new HttpRequestException(HttpRequestError.ConnectionError, "Connection refused (127.0.0.1:9)");

        var problem = ProxyFailures.Problem(ForwarderError.Request, refused).ShouldBeOfType<ProblemHttpResult>();

        problem.ProblemDetails.Detail.ShouldNotBeNull().ShouldContain("ConnectionError");
        problem.ProblemDetails.Detail.ShouldNotContain("127.0.0.1");
    }

    [Fact]
    public void CallersBodyOverTheLimit_Is413_EvenWrappedAsYarpReportsIt()
    {
        var tooLarge = new AggregateException(new BadHttpRequestException("Request body too large.", StatusCodes.Status413PayloadTooLarge), new TaskCanceledException());

        var problem = ProxyFailures.Problem(ForwarderError.RequestBodyClient, tooLarge).ShouldBeOfType<ProblemHttpResult>();

        problem.StatusCode.ShouldBe(413);
        problem.ProblemDetails.Extensions["code"].ShouldBe("payload_too_large");
    }

    [Theory]
    [InlineData(ForwarderError.RequestCanceled)]
    [InlineData(ForwarderError.RequestBodyCanceled)]
    [InlineData(ForwarderError.ResponseBodyCanceled)]
    [InlineData(ForwarderError.ResponseBodyClient)]
    public void CallerLeaving_IsNotAFailure(ForwarderError error)
    {
        ProxyFailures.CallerLeft(error, new DefaultHttpContext()).ShouldBeTrue();
        ProxyFailures.Problem(error, null).ShouldBeNull();
    }

    [Theory]
    [InlineData(ForwarderError.Request)]
    [InlineData(ForwarderError.RequestTimedOut)]
    [InlineData(ForwarderError.ResponseBodyDestination)]
    public void UpstreamFailures_AreNotMistakenForTheCallerLeaving(ForwarderError error)
        => ProxyFailures.CallerLeft(error, new DefaultHttpContext()).ShouldBeFalse();

    [Fact]
    public void UpstreamBreakingOffMidBody_HasNothingToWrite_TheConnectionIsBrokenOffInstead()
        => ProxyFailures.Problem(ForwarderError.ResponseBodyDestination, new IOException("reset")).ShouldBeNull();
}
