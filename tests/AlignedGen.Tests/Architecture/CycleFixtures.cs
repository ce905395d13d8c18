// Namespaces that use each other in ways only IL shows, so the cycle guard's detector is tested on a known cycle:
// Left reaches Right only inside a lambda's body (a compiler-generated closure type), Right reaches Left only through
// a static call in a method body; neither appears in a signature. Below is used by Left and uses nothing.
namespace AlignedGen.Tests.Architecture.Fixtures.Left
{
    internal static class LeftUser
    {
        public static Func<int> Later(AlignedGen.Tests.Architecture.Fixtures.Below.BelowThing below)
            => () => AlignedGen.Tests.Architecture.Fixtures.Right.RightThing.Value() + below.Number;
    }
}

namespace AlignedGen.Tests.Architecture.Fixtures.Right
{
    internal static class RightThing
    {
        public static int Value() => 1;

        public static int CallsLeft() => AlignedGen.Tests.Architecture.Fixtures.Left.LeftUser.Later(new())();
    }
}

namespace AlignedGen.Tests.Architecture.Fixtures.Below
{
    internal sealed class BelowThing
    {
        public int Number { get; init; } = 2;
    }
}
