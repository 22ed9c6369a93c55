namespace Svi.Server.Usage;

/// <summary>The <c>group_by</c> of <c>GET /v1/usage</c>.</summary>
public enum UsageGrouping { Key, Day, Resolution }
