namespace Svi.Server.Models;

public enum PullStatus { Downloaded, AlreadyPresent, SkippedOptional, Failed }
