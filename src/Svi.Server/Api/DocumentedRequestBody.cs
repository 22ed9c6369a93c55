namespace Svi.Server.Api;

/// <summary>The documented body of an endpoint whose handler reads its body itself.</summary>
public sealed record DocumentedRequestBody(Type Body);
