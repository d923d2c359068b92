using System.Net;
using System.Net.Http.Headers;
using ImmutableInfra.Kubernetes.Config;
using Microsoft.Extensions.Logging;

namespace ImmutableInfra.Kubernetes.Client;

/// <summary>Sends requests with a per-attempt timeout, bounded retries (backoff + jitter) and optional rate limiting.</summary>
internal sealed class KubeTransport : IDisposable
{
    // API Priority and Fairness names the flow schema and priority level that admitted each request.
    private const string FlowSchemaHeader = "X-Kubernetes-PF-FlowSchema-UID";
    private const string PriorityLevelHeader = "X-Kubernetes-PF-PriorityLevel-UID";

    private readonly HttpClient _http;
    private readonly KubeClientOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly BearerTokenSource _token;
    private readonly TokenBucketRateLimiter? _limiter;

    // Set from every response when DeferToServerFlowControl is on; a plain field read is enough (a stale value
    // costs one request's worth of throttling, or lack of it).
    private volatile bool _serverFlowControl;

    public KubeTransport(KubeConnectionSettings settings, KubeClientOptions options, HttpMessageHandler handler, TimeProvider time, ILogger logger)
    {
        _options = options;
        _time = time;
        _logger = logger;
        _http = new HttpClient(handler, disposeHandler: true) { BaseAddress = settings.Server, Timeout = Timeout.InfiniteTimeSpan };
        _http.DefaultRequestHeaders.UserAgent.ParseAdd(options.UserAgent);
        _token = new BearerTokenSource(settings.Token, settings.TokenFile, options.TokenRefreshInterval, time);
        _limiter = options.Qps > 0 ? new TokenBucketRateLimiter(options.Qps, options.Burst, time) : null;
        Server = settings.Server;
    }

    public Uri Server { get; }

    public KubeClientOptions Options => _options;

    /// <summary>Sends a request and returns its whole (bounded) body; errors become typed exceptions.</summary>
    /// <remarks>
    /// Creates are retried too: objects are named, so a retried create that had in fact succeeded answers
    /// AlreadyExists instead of making a duplicate (generateName is the exception; we do not use it).
    /// </remarks>
    public async Task<byte[]> SendAsync(KubeRequest request, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            using var timeout = new CancellationTokenSource(_options.RequestTimeout, _time);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
            Outcome outcome;
            try
            {
                using var response = await SendOnceAsync(request, HttpCompletionOption.ResponseHeadersRead, linked.Token).ConfigureAwait(false);
                var body = await BoundedContent.ReadAsync(response.Content, _options.MaxResponseBytes, linked.Token).ConfigureAwait(false);
                if (response.IsSuccessStatusCode)
                {
                    return body;
                }

                outcome = Outcome.FromStatus(response, body);
            }
            catch (Exception e) when (IsTransient(e, cancellationToken))
            {
                outcome = Outcome.FromFailure(e);
            }

            await DelayOrThrowAsync(request, attempt, outcome, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Opens a streaming response (watch); retries only until the response headers arrive.</summary>
    public async Task<KubeStreamResponse> OpenStreamAsync(KubeRequest request, TimeSpan streamTimeout, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var timeout = new CancellationTokenSource(streamTimeout, _time);
            var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
            Outcome outcome;
            try
            {
                var response = await SendOnceAsync(request, HttpCompletionOption.ResponseHeadersRead, linked.Token).ConfigureAwait(false);
                if (response.IsSuccessStatusCode)
                {
                    return new KubeStreamResponse(response, timeout, linked);
                }

                using (response)
                {
                    var body = await BoundedContent.ReadAsync(response.Content, 64 * 1024, linked.Token).ConfigureAwait(false);
                    outcome = Outcome.FromStatus(response, body);
                }
            }
            catch (Exception e) when (IsTransient(e, cancellationToken))
            {
                outcome = Outcome.FromFailure(e);
            }
            catch
            {
                linked.Dispose();
                timeout.Dispose();
                throw;
            }

            linked.Dispose();
            timeout.Dispose();
            await DelayOrThrowAsync(request, attempt, outcome, cancellationToken).ConfigureAwait(false);
        }
    }

    public void Dispose() => _http.Dispose();

    private async Task<HttpResponseMessage> SendOnceAsync(KubeRequest request, HttpCompletionOption completion, CancellationToken cancellationToken)
    {
        if (_limiter is not null && !_serverFlowControl)
        {
            await _limiter.WaitAsync(cancellationToken).ConfigureAwait(false);
        }

        using var message = new HttpRequestMessage(request.Method, request.PathAndQuery);
        message.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        var token = _token.Current();
        if (token is not null)
        {
            message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        if (request.Body is not null)
        {
            message.Content = new ByteArrayContent(request.Body);
            message.Content.Headers.ContentType = new MediaTypeHeaderValue(request.ContentType ?? "application/json");
        }

        var method = new KeyValuePair<string, object?>("method", request.Method.Method);
        KubeClientMetrics.Requests.Add(1, method);
        var started = _time.GetTimestamp();
        try
        {
            var response = await _http.SendAsync(message, completion, cancellationToken).ConfigureAwait(false);
            if (_limiter is not null && _options.DeferToServerFlowControl)
            {
                ObserveFlowControl(response);
            }

            return response;
        }
        finally
        {
            KubeClientMetrics.Duration.Record(_time.GetElapsedTime(started).TotalSeconds, method);
        }
    }

    /// <summary>Whether client-side rate limiting is suspended because the server reports Priority and Fairness.</summary>
    public bool DeferringToServerFlowControl => _serverFlowControl;

    private void ObserveFlowControl(HttpResponseMessage response)
    {
        var present = response.Headers.Contains(FlowSchemaHeader) || response.Headers.Contains(PriorityLevelHeader);
        if (present != _serverFlowControl)
        {
            _serverFlowControl = present;
            KubeClientLog.ServerFlowControl(_logger, Server, present);
        }
    }

    private static bool IsTransient(Exception e, CancellationToken caller) =>
        e is HttpRequestException || e is IOException || (e is OperationCanceledException && !caller.IsCancellationRequested);

    private async Task DelayOrThrowAsync(KubeRequest request, int attempt, Outcome outcome, CancellationToken cancellationToken)
    {
        if (!outcome.Retryable || attempt >= _options.MaxAttempts)
        {
            if (outcome.Failure is not null)
            {
                var what = outcome.Failure is OperationCanceledException ? $"no answer within {_options.RequestTimeout.TotalSeconds:0.###} s" : outcome.Failure.Message;
                KubeClientLog.GaveUp(_logger, request.Method.Method, PathOnly(request), attempt, what);
                throw new KubeConnectionException(
                    $"Kubernetes API server {Server} unreachable after {attempt} attempt(s): {what}", outcome.Failure);
            }

            throw outcome.Error!;
        }

        var delay = RetryBackoff.Delay(attempt, _options, outcome.RetryAfter);
        if (_logger.IsEnabled(LogLevel.Debug))
        {
            var method = request.Method.Method;
            var path = PathOnly(request);
            var delayMs = delay.TotalMilliseconds;
            if (outcome.Failure is not null)
            {
                var failure = outcome.Failure.GetType().Name;
                KubeClientLog.RetryingFailure(_logger, method, path, failure, attempt, delayMs);
            }
            else
            {
                var code = (int)outcome.Error!.StatusCode;
                KubeClientLog.RetryingStatus(_logger, method, path, code, attempt, delayMs);
            }
        }

        await Task.Delay(delay, _time, cancellationToken).ConfigureAwait(false);
    }

    // Query strings can carry selectors but never secrets; the path alone is enough to diagnose.
    private static string PathOnly(KubeRequest request)
    {
        var q = request.PathAndQuery.IndexOf('?', StringComparison.Ordinal);
        return q < 0 ? request.PathAndQuery : request.PathAndQuery[..q];
    }

    private sealed record Outcome(bool Retryable, KubeApiException? Error, Exception? Failure, TimeSpan? RetryAfter)
    {
        public static Outcome FromFailure(Exception e) => new(true, null, e, null);

        public static Outcome FromStatus(HttpResponseMessage response, byte[] body)
        {
            var status = KubeApiErrors.ParseStatus(response.StatusCode, body);
            var error = KubeApiErrors.Create(response.StatusCode, status);
            var code = (int)response.StatusCode;
            var retryable = response.StatusCode == HttpStatusCode.TooManyRequests || code is 500 or 502 or 503 or 504;
            TimeSpan? retryAfter = response.Headers.RetryAfter?.Delta;
            if (retryAfter is null && status.Details?.RetryAfterSeconds is { } seconds && code == 429)
            {
                retryAfter = TimeSpan.FromSeconds(seconds);
            }

            return new Outcome(retryable, error, null, retryAfter);
        }
    }
}
