namespace Svi.Server.Models;

public enum VerifyStatus { Ok, Missing, WrongSize, WrongChecksum, WrongLayout }
