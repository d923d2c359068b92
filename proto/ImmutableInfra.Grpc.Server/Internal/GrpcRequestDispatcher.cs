using System.Collections.Frozen;
using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace ImmutableInfra.Grpc.Server.Internal;

/// <summary>Routes POST /{service}/{method} to its handler after checking content type, protocol and encoding.</summary>
internal sealed class GrpcRequestDispatcher
{
    private readonly FrozenDictionary<string, ServerMethod> _methods;
    private readonly GrpcServerOptions _options;
    private readonly ILogger _logger;

    public GrpcRequestDispatcher(IEnumerable<ServerServiceDefinition> services, GrpcServerOptions options, ILogger logger)
    {
        var methods = new Dictionary<string, ServerMethod>(StringComparer.Ordinal);
        foreach (var service in services)
        {
            foreach (var method in service.Methods)
            {
                if (!methods.TryAdd(method.FullName, method))
                {
                    throw new ArgumentException($"Method {method.FullName} is registered twice.", nameof(services));
                }
            }
        }

        _methods = methods.ToFrozenDictionary(StringComparer.Ordinal);
        _options = options;
        _logger = logger;
    }

    public Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        var path = request.Path.Value ?? string.Empty;
        if (!HttpMethods.IsPost(request.Method))
        {
            context.Response.StatusCode = StatusCodes.Status405MethodNotAllowed;
            return Task.CompletedTask;
        }

        if (!GrpcProtocol.IsGrpcContentType(request.ContentType))
        {
            GrpcServerLog.UnsupportedContentType(_logger, request.ContentType, path);
            context.Response.StatusCode = StatusCodes.Status415UnsupportedMediaType;
            return Task.CompletedTask;
        }

        if (!HttpProtocol.IsHttp2(request.Protocol))
        {
            GrpcServerLog.NotHttp2(_logger, path);
            context.Response.StatusCode = StatusCodes.Status426UpgradeRequired;
            return Task.CompletedTask;
        }

        if (!_methods.TryGetValue(path, out var method))
        {
            GrpcServerLog.UnknownMethod(_logger, path);
            return TrailersOnly(context, new Status(StatusCode.Unimplemented, $"Method {path} is not implemented."));
        }

        var encoding = request.Headers[GrpcProtocol.EncodingHeader].ToString();
        if (!MessageCompression.IsSupported(encoding))
        {
            GrpcServerLog.UnsupportedEncoding(_logger, encoding, path);
            context.Response.Headers[GrpcProtocol.AcceptEncodingHeader] = MessageCompression.AcceptEncodingValue;
            return TrailersOnly(context, new Status(StatusCode.Unimplemented, $"Unsupported grpc-encoding '{encoding}'."));
        }

        TimeSpan? timeout = null;
        var timeoutValues = request.Headers[GrpcProtocol.TimeoutHeader];
        if (timeoutValues.Count > 0)
        {
            var timeoutText = timeoutValues.ToString();
            if (GrpcTimeout.TryParse(timeoutText, out var parsed))
            {
                timeout = parsed;
            }
            else
            {
                GrpcServerLog.InvalidTimeout(_logger, timeoutText, path);
            }
        }

        var call = new KestrelServerCall(context, method, _options, _logger, encoding.Length == 0 ? null : encoding, timeout);
        return call.RunAsync();
    }

    private static Task TrailersOnly(HttpContext context, Status status)
    {
        var response = context.Response;
        response.ContentType = GrpcProtocol.ContentType;
        response.Headers[GrpcProtocol.StatusHeader] = ((int)status.StatusCode).ToString(CultureInfo.InvariantCulture);
        response.Headers[GrpcProtocol.MessageHeader] = GrpcStatusMessage.Encode(status.Detail);
        return Task.CompletedTask;
    }
}
