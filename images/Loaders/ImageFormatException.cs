namespace Minix318Emu.Images;

/// <summary>A file given as an image is unusable. The message names the file and the problem in one line.</summary>
public sealed class ImageFormatException : Exception
{
    /// <summary>Creates the exception for <paramref name="path"/>.</summary>
    public ImageFormatException(string path, string problem) : base($"{path}: {problem}")
    {
        Path = path;
        Problem = problem;
    }

    /// <summary>The file.</summary>
    public string Path { get; }

    /// <summary>What is wrong with it.</summary>
    public string Problem { get; }
}
