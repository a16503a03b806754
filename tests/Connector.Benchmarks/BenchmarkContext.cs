using Akka.Streams;

namespace Connector.Benchmarks;

/// <summary>What every side of every scenario shares: the server, the materializer and the run's profile.</summary>
/// <param name="Server">The endpoint that both sides send to.</param>
/// <param name="Materializer">The materializer of the run's actor system.</param>
/// <param name="Profile">Iteration counts and sizes.</param>
internal sealed record BenchmarkContext(BenchmarkServer Server, IMaterializer Materializer, BenchmarkProfile Profile);
