using System.Security.Cryptography;
using System.Text;
using Grpc.Core;
using Grpc.Core.Interceptors;

namespace DistDepth.SimServer.Service;

/// <summary>Admits only calls that carry the server's token as gRPC metadata "authorization: Bearer
/// &lt;token&gt;" (the header gRPC's own call credentials send); anything else is UNAUTHENTICATED.</summary>
public sealed class TokenCheck(string token) : Interceptor
{
    public const string Header = "authorization";
    private readonly byte[] _expected = Encoding.UTF8.GetBytes("Bearer " + token);

    public override Task<TResponse> UnaryServerHandler<TRequest, TResponse>(TRequest request, ServerCallContext context,
                                                                            UnaryServerMethod<TRequest, TResponse> continuation)
    {
        Check(context);
        return continuation(request, context);
    }

    public override Task ServerStreamingServerHandler<TRequest, TResponse>(TRequest request, IServerStreamWriter<TResponse> responseStream,
                                                                           ServerCallContext context, ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        Check(context);
        return continuation(request, responseStream, context);
    }

    private void Check(ServerCallContext context)
    {
        var sent = context.RequestHeaders.GetValue(Header);
        // Constant time: how much of a guess matched must not show in the answer's timing.
        if (sent == null || !CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(sent), _expected))
            throw new RpcException(new Status(StatusCode.Unauthenticated, "this server needs its token: send 'authorization: Bearer <token>' (simgen --server-token-file)"));
    }
}
