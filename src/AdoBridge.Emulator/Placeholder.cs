namespace AdoBridge.Emulator; public static class Placeholder { }
