using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

// An empty Generic Host under systemd: READY=1 from the library's lifetime, then wait for SIGTERM. The agent's
// start-to-READY and idle RSS minus this are what the agent itself costs.
var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
builder.Services.AddSystemd();
using var host = builder.Build();
await host.RunAsync();
