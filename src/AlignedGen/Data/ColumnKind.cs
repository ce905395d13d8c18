namespace AlignedGen.Data;

/// <summary>The type of a column in a typed (Parquet) file.</summary>
public enum ColumnKind
{
    /// <summary>UTF-8 text; numbers, bools, lists and JSON fragments are stored as their canonical text.</summary>
    Text,

    /// <summary>64-bit signed integer.</summary>
    Integer,

    /// <summary>64-bit floating point; integers are widened.</summary>
    Number,

    /// <summary>Boolean.</summary>
    Boolean,

    /// <summary>List of text.</summary>
    TextList,

    /// <summary>List of 64-bit floating point numbers.</summary>
    NumberList,
}
