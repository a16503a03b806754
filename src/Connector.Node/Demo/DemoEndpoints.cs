using System.Globalization;
using System.Net;
using System.Text.Json;
using Akka.Configuration;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Connector.Node.Demo;

/// <summary>
/// Small HTTP endpoints the demo configuration starts inside the node, on loopback: a customers lookup service
/// (<c>GET /client?id=..&amp;id2=..</c>) and an orders sink (<c>POST /orders</c> with a JSON array).
/// </summary>
internal sealed partial class DemoEndpoints : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ILogger _logger;
    private long _ordersReceived;

    private DemoEndpoints(WebApplication app, ILogger logger)
    {
        _app = app;
        _logger = logger;
    }

    /// <summary>Rows the orders endpoint has received.</summary>
    public long OrdersReceived => Interlocked.Read(ref _ordersReceived);

    /// <summary>Starts the endpoints when the configuration has an <c>httpactors.demo-endpoints</c> section.</summary>
    public static async Task<DemoEndpoints?> StartIfConfiguredAsync(Config config, ILoggerFactory loggerFactory)
    {
        var section = config.GetConfig("httpactors.demo-endpoints");
        if (section is null || section.IsEmpty)
        {
            return null;
        }

        var host = section.GetString("host", "127.0.0.1");
        var port = section.GetInt("port", 18080);
        if (!IPAddress.TryParse(host, out var address) || !IPAddress.IsLoopback(address))
        {
            throw new ArgumentException($"httpactors.demo-endpoints.host '{host}' must be a loopback address such as 127.0.0.1; the demo endpoints never listen elsewhere.");
        }

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(options => options.Listen(address, port));
        var app = builder.Build();
        var endpoints = new DemoEndpoints(app, loggerFactory.CreateLogger("Connector.Node.Demo"));
        app.MapGet("/client", endpoints.LookupCustomer);
        app.MapPost("/orders", endpoints.ReceiveOrdersAsync);
        await app.StartAsync().ConfigureAwait(false);
        LogStarted(endpoints._logger, $"http://{host}:{port}");
        return endpoints;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }

    private IResult LookupCustomer(HttpRequest request)
    {
        var id = request.Query["id"].ToString();
        var id2 = request.Query["id2"].ToString();
        if (!int.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var number))
        {
            return Results.NotFound();
        }

        return Results.Json(new
        {
            id,
            id2,
            msg = $"customer {id}",
            uuid = new Guid(number, 0, 0, new byte[8]).ToString(),
            details = new
            {
                isActive = number % 3 != 0,
                nestedDetails = new { balance = "$" + (number * 17.25m).ToString("N2", CultureInfo.InvariantCulture) },
            },
        });
    }

    private async Task<IResult> ReceiveOrdersAsync(HttpRequest request)
    {
        using var document = await JsonDocument.ParseAsync(request.Body).ConfigureAwait(false);
        var rows = document.RootElement.ValueKind == JsonValueKind.Array ? document.RootElement.GetArrayLength() : 1;
        var first = document.RootElement.ValueKind == JsonValueKind.Array && rows > 0
            ? document.RootElement[0].GetRawText()
            : document.RootElement.GetRawText();
        var total = Interlocked.Add(ref _ordersReceived, rows);
        LogOrders(_logger, rows, total, first);
        return Results.Ok();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Demo endpoints listening on {Url}: GET /client (customers lookup), POST /orders (orders sink)")]
    private static partial void LogStarted(ILogger logger, string url);

    [LoggerMessage(Level = LogLevel.Information, Message = "Demo orders endpoint received {Rows} enriched row(s), {Total} in all; first: {FirstRow}")]
    private static partial void LogOrders(ILogger logger, int rows, long total, string firstRow);
}
