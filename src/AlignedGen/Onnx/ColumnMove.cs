namespace AlignedGen.Onnx;

/// <summary>
/// Which cache positions (columns) of a row survive a rearrangement and where they land: <paramref name="Count"/>
/// columns from column <paramref name="Start"/> of the source row, written from column <paramref name="Offset"/>.
/// </summary>
internal readonly record struct ColumnMove(int Start, int Count, int Offset);
