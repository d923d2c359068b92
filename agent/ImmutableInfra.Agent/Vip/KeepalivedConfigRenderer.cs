using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using ImmutableInfra.Contract.V1;

namespace ImmutableInfra.Agent.Vip;

/// <summary>
/// Renders keepalived.conf for a <see cref="VipRole"/>: one VRRP instance gated by the arbiter's track file,
/// and one IPVS virtual server (direct routing) whose real servers are the control-plane apiservers.
/// </summary>
/// <remarks>
/// Every host renders the same priority and <c>state BACKUP</c>; which host may be MASTER is decided by the
/// Lease, through the track file: non-holders read -254 and sit in FAULT, so at most one host is ever
/// eligible at full priority. <c>nopreempt</c>: a new Lease holder never claims the VIP while it still hears
/// a master (a fallback holder, or an old holder that has not demoted yet); it claims once that master's
/// priority-0 advert or silence says it left, so the VIP moves without overlap, in the order the Lease gives.
/// The <c>vrrp_script</c> is the arbiter's sign of life: a frozen or dead arbiter stops refreshing it and its
/// keepalived goes to FAULT within the script's interval. VRRPv3 allows sub-second advertisements and is the
/// only version that carries IPv6.
///
/// Direct routing needs no extra routing (NAT would need the real servers to route back through the holder):
/// every control plane carries the VIP on <c>lo</c> (the <c>static_ipaddress</c> block below does that) and,
/// for IPv4, <c>net.ipv4.conf.all.arp_ignore=1</c> and <c>net.ipv4.conf.all.arp_announce=2</c>, so only the
/// holder answers ARP for it. IPv6 neighbour discovery already answers only for addresses of the receiving
/// interface. The holder's own apiserver is served locally by IPVS.
/// </remarks>
internal static class KeepalivedConfigRenderer
{
    /// <summary>The base priority of every host; the track file adds 0, -<see cref="FallbackPenalty"/> or the fault value.</summary>
    public const int Priority = 100;

    public const int FallbackPenalty = 50;

    /// <summary>A track-file value at or below -254 (times weight 1) puts the instance in FAULT.</summary>
    public const int TrackFileFault = -254;

    public const string TrackFileName = "immutableinfra_vip_lease";

    public const string AliveScriptName = "immutableinfra_arbiter_alive";

    /// <summary>keepalived 2.2 runs a vrrp_script at most once a second.</summary>
    public static readonly TimeSpan AliveCheckInterval = TimeSpan.FromSeconds(1);

    /// <summary>
    /// When the role carries none (an older coordinator): VRRP's only job here is moving the VIP to the Lease
    /// holder, whose keepalived becomes master 3 adverts + skew after it is allowed to, and a short interval
    /// cannot cause a split brain (non-holders are in FAULT). 100 ms is 10 small packets a second per peer.
    /// </summary>
    public static readonly TimeSpan DefaultAdvertInterval = TimeSpan.FromMilliseconds(100);

    public static KeepalivedConfig Render(VipRole role, IReadOnlyList<LocalAddress> local, string trackFilePath)
    {
        ArgumentNullException.ThrowIfNull(role);
        ArgumentNullException.ThrowIfNull(local);
        if (!IPAddress.TryParse(role.Vip, out var vip))
        {
            throw new VipConfigurationException($"VIP '{role.Vip}' is not an IP address");
        }

        if (role.Vrid is < 1 or > 255)
        {
            throw new VipConfigurationException($"VRRP id {role.Vrid} is outside 1-255");
        }

        var own = local
            .Where(a => (role.Interface.Length == 0 || a.Interface == role.Interface) && a.SubnetContains(vip) && !a.Address.Equals(vip))
            .OrderBy(a => a.Interface, StringComparer.Ordinal)
            .FirstOrDefault()
            ?? throw new VipConfigurationException(role.Interface.Length == 0
                ? $"no interface has an address on the subnet of VIP {vip}"
                : $"interface {role.Interface} has no address on the subnet of VIP {vip}");

        var peers = new List<IPAddress>();
        foreach (var peer in role.Peers)
        {
            if (!IPAddress.TryParse(peer.Address, out var address) || address.AddressFamily != vip.AddressFamily)
            {
                throw new VipConfigurationException($"peer {peer.Host} address '{peer.Address}' is not an address of the VIP's family");
            }

            if (!address.Equals(own.Address) && !peers.Contains(address))
            {
                peers.Add(address);
            }
        }

        peers.Sort(CompareAddresses);
        var servers = peers.Append(own.Address).Order(Comparer<IPAddress>.Create(CompareAddresses)).ToList();
        var port = role.Port == 0 ? 6443 : role.Port;
        var hostPrefix = vip.AddressFamily == AddressFamily.InterNetwork ? 32 : 128;
        var instance = $"vip_{role.Vrid}";

        var text = new StringBuilder();
        void Line(string line = "") => text.Append(line).Append('\n');

        Line($"# Rendered by immutableinfra-agent for the control-plane VIP of {Sanitize(role.Cluster)}; the agent rewrites it.");
        Line("global_defs {");
        Line($"    router_id {Format(own.Address)}");
        Line("    vrrp_version 3");
        // The check script runs as root from root-owned paths only.
        Line("    script_user root");
        Line("    enable_script_security");
        Line("}");
        Line();
        Line("# Every control plane carries the VIP on lo so IPVS direct routing can hand it connections.");
        Line("static_ipaddress {");
        // keepalived refuses a scope on IPv6 addresses.
        Line(vip.AddressFamily == AddressFamily.InterNetwork ? $"    {Format(vip)}/{hostPrefix} dev lo scope host" : $"    {Format(vip)}/{hostPrefix} dev lo");
        Line("}");
        Line();
        Line("# Written by the agent's Lease arbiter: 0 Lease holder, -" + FallbackPenalty.ToString(CultureInfo.InvariantCulture)
            + " fallback holder, " + TrackFileFault.ToString(CultureInfo.InvariantCulture) + " barred (FAULT).");
        Line($"track_file {TrackFileName} {{");
        Line($"    file \"{trackFilePath}\"");
        Line("    weight 1");
        Line($"    init_file {TrackFileFault.ToString(CultureInfo.InvariantCulture)}");
        Line("}");
        Line();
        Line("# The arbiter's sign of life: it writes when it stops being valid, in centiseconds of /proc/uptime.");
        Line($"vrrp_script {AliveScriptName} {{");
        Line($"    script \"/bin/sh -c 'read u i </proc/uptime; read d <$0; [ $(echo $u | tr -d .) -lt $d ]' {TrackFileVrrpGate.AlivePathOf(trackFilePath)}\"");
        Line($"    interval {AliveCheckInterval.TotalSeconds.ToString(CultureInfo.InvariantCulture)}");
        Line("    timeout 1");
        Line("    fall 1");
        Line("    rise 1");
        Line("}");
        Line();
        Line($"vrrp_instance {instance} {{");
        Line("    state BACKUP");
        Line("    nopreempt");
        Line($"    interface {own.Interface}");
        Line($"    virtual_router_id {role.Vrid.ToString(CultureInfo.InvariantCulture)}");
        Line($"    priority {Priority.ToString(CultureInfo.InvariantCulture)}");
        Line($"    advert_int {FormatSeconds(AdvertInterval(role))}");
        // A lone control plane has nobody to advertise to: keepalived refuses unicast without peers and
        // multicasts instead (the vrid is unique on the segment, so nobody listens).
        if (peers.Count > 0)
        {
            Line($"    unicast_src_ip {Format(own.Address)}");
            Line("    unicast_peer {");
            foreach (var peer in peers)
            {
                Line($"        {Format(peer)}");
            }

            Line("    }");
        }

        Line("    virtual_ipaddress {");
        Line($"        {Format(vip)}/{own.PrefixLength.ToString(CultureInfo.InvariantCulture)} dev {own.Interface}");
        Line("    }");
        Line("    track_file {");
        Line($"        {TrackFileName} weight 1");
        Line("    }");
        Line("    track_script {");
        Line($"        {AliveScriptName}");
        Line("    }");
        Line("}");
        Line();
        Line($"virtual_server {Format(vip)} {port.ToString(CultureInfo.InvariantCulture)} {{");
        Line("    delay_loop 2");
        Line("    lb_algo rr");
        Line("    lb_kind DR");
        Line("    protocol TCP");
        foreach (var server in servers)
        {
            Line($"    real_server {Format(server)} {port.ToString(CultureInfo.InvariantCulture)} {{");
            Line("        weight 1");
            Line("        SSL_GET {");
            Line("            url {");
            Line("                path /readyz");
            Line("                status_code 200");
            Line("            }");
            Line("            connect_timeout 2");
            Line("            retry 2");
            Line("            delay_before_retry 1");
            Line("        }");
            Line("    }");
        }

        Line("}");
        return new KeepalivedConfig(text.ToString(), vip, own.Interface, own.Address);
    }

    public static TimeSpan AdvertInterval(VipRole role)
    {
        ArgumentNullException.ThrowIfNull(role);
        var interval = role.AdvertInterval?.ToTimeSpan() ?? TimeSpan.Zero;
        // VRRPv3 counts in centiseconds, from 0.01 s to 40.95 s.
        return interval <= TimeSpan.Zero ? DefaultAdvertInterval : TimeSpan.FromSeconds(Math.Clamp(Math.Round(interval.TotalSeconds, 2), 0.01, 40.95));
    }

    private static string FormatSeconds(TimeSpan interval) => interval.TotalSeconds.ToString("0.##", CultureInfo.InvariantCulture);

    private static string Format(IPAddress address) => address.ToString();

    private static int CompareAddresses(IPAddress a, IPAddress b) => a.GetAddressBytes().AsSpan().SequenceCompareTo(b.GetAddressBytes());

    // The cluster name lands in a comment: keep it one line.
    private static string Sanitize(string value) => value.Replace('\n', ' ').Replace('\r', ' ');
}
