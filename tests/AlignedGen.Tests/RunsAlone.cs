using Xunit;

namespace AlignedGen.Tests;

/// <summary>
/// Tests that must not share the process with others: they change environment variables, or measure process-wide live
/// memory (GC.GetTotalMemory), which concurrent tests inflate. xunit runs this collection after the parallel ones, alone.
/// </summary>
[CollectionDefinition(nameof(RunsAlone), DisableParallelization = true)]
public sealed class RunsAlone;
