import Foundation
import Testing
import Platform
import CapsimTestSupport

/// `LimitReqBucket` against a real NGINX (Debian package `nginx`, 1.22): a private instance on a unix
/// socket with `limit_req ... ; limit_req_dry_run on;`, so every request gets NGINX's decision
/// (`$limit_req_status`: PASSED, DELAYED_DRY_RUN, REJECTED_DRY_RUN) without being held, and the
/// bucket is charged exactly as without dry run (`ngx_http_limit_req_handler`). The request times
/// are NGINX's own: `$connection_time` on one keep-alive connection is `ngx_current_msec` minus the
/// connection's start, the millisecond clock `ngx_http_limit_req_lookup` reads in the same event
/// handler call, so the replay uses the exact milliseconds NGINX used and needs no tolerance. The
/// excess NGINX logs for delayed and rejected requests ("delaying request, dry run, excess: 2.060")
/// is compared too. The script's sleeps only shape the sequence; wall-clock jitter does not matter.
@Suite(.serialized, .enabled(if: RealSystems.canRun("nginx", RealSystems.python), "nginx or python3 not installed (apt-get install -y nginx)"))
struct NginxLimitReqLiveTests {
    struct Observed { var status: String; var ms: Int64; var excess: Int64? }

    func runNginx(rate: String, limit: String, requests: [(key: String, sleepMs: Int)]) throws -> [Observed]? {
        let nginx = try #require(Subprocess.which("nginx"), "nginx not installed: apt-get install -y nginx")
        let spec: [String: Any] = ["rate": rate, "limit": limit,
                                   "requests": requests.map { ["key": $0.key, "sleep_ms": $0.sleepMs] }]
        let outcome = try NginxHarness.run(prefix: "capsim-limitreq", nginx: nginx, driver: Self.driver, spec: spec, timeout: 120)
        guard case .ok(let obj) = outcome, let raw = obj["results"] as? [[String: Any]] else {
            if case .failed(let why) = outcome { Issue.record(Comment(rawValue: why)) } else { Issue.record("nginx driver printed no results") }
            return nil
        }
        return raw.map { Observed(status: $0["status"] as? String ?? "?", ms: Int64($0["ms"] as? Int ?? -1),
                                  excess: ($0["excess"] as? Int).map(Int64.init)) }
    }

    /// A scripted sequence over two keys with bursts and pauses; replays NGINX's times through one
    /// `LimitReqBucket` per key and expects every decision and logged excess to match.
    @Test(arguments: [("5r/s", "burst=4 delay=2", LimitReqConfig(requestsPerSecond: 5, burst: 4, delay: 2)),
                      ("2r/s", "burst=3 nodelay", LimitReqConfig(requestsPerSecond: 2, burst: 3, nodelay: true)),
                      ("90r/m", "burst=2", LimitReqConfig(requestsPerMinute: 90, burst: 2))])
    func decisionsMatchNginx(rate: String, limit: String, config: LimitReqConfig) throws {
        var rng = SplitMix64(seed: 17)
        let sleeps = [0, 0, 0, 0, 20, 60, 150, 400]
        let requests = (0..<60).map { _ in (key: rng.below(3) == 0 ? "b" : "a", sleepMs: sleeps[rng.below(sleeps.count)]) }
        guard let seen = try runNginx(rate: rate, limit: limit, requests: requests) else { return }
        #expect(seen.count == requests.count)
        var buckets: [String: LimitReqBucket] = [:]      // looked up by key, never iterated
        var counts = [0, 0, 0], mismatches = 0
        for (i, (req, obs)) in zip(requests, seen).enumerated() {
            var b = buckets[req.key] ?? LimitReqBucket(config: config)
            let d = b.request(now: obs.ms * TimeUnit.millisecond)
            buckets[req.key] = b
            let mine: String
            switch d.outcome {
            case .accept: mine = "PASSED"; counts[0] += 1
            case .delay: mine = "DELAYED_DRY_RUN"; counts[1] += 1
            case .reject: mine = "REJECTED_DRY_RUN"; counts[2] += 1
            }
            if mine != obs.status || (obs.excess != nil && obs.excess != d.excess) { mismatches += 1 }
            #expect(mine == obs.status, "request \(i) key \(req.key) at \(obs.ms) ms")
            if let e = obs.excess { #expect(d.excess == e, "request \(i): excess") }
            #expect((obs.excess != nil) == (d.outcome != .accept), "request \(i): logged iff delayed or rejected")
        }
        print("NginxLimitReqLive \(rate) \(limit): \(seen.count) requests compared (accept \(counts[0]), delay \(counts[1]), reject \(counts[2])), \(mismatches) mismatches")
    }

    static let driver = #"""
# Drives a private nginx (one worker, no daemon, unix socket) with limit_req in dry-run mode and
# reports, per request, nginx's decision ($limit_req_status), its clock ($connection_time on one
# keep-alive connection: milliseconds of ngx_current_msec, the clock limit_req reads) and, for
# delayed or rejected requests, the excess nginx logged. Spec (JSON file, argv[1]):
#   {"nginx": path, "dir": tmpdir, "limit": "burst=4 delay=2", "rate": "5r/s",
#    "requests": [{"key": "a", "sleep_ms": 120}, ...]}
# Prints {"results": [{"status": ..., "ms": ..., "excess": thousandths or null}]}.
import http.client, json, os, re, signal, socket, subprocess, sys, time

spec = json.load(open(sys.argv[1]))
signal.pthread_sigmask(signal.SIG_SETMASK, [])
signal.signal(signal.SIGTERM, lambda *a: sys.exit(3))
signal.signal(signal.SIGALRM, lambda *a: sys.exit(4))
signal.alarm(100)

d = spec["dir"]
os.makedirs(os.path.join(d, "www"), exist_ok=True)
open(os.path.join(d, "www", "f"), "w").write("ok")
sock_path = os.path.join(d, "nginx.sock")
conf = f"""
daemon off; master_process off; worker_processes 1;
error_log {d}/error.log info; pid {d}/nginx.pid;
events {{ worker_connections 64; }}
http {{
  access_log off;
  client_body_temp_path {d}/body; proxy_temp_path {d}/proxy; fastcgi_temp_path {d}/fastcgi;
  uwsgi_temp_path {d}/uwsgi; scgi_temp_path {d}/scgi;
  limit_req_zone $arg_k zone=z:1m rate={spec["rate"]};
  keepalive_timeout 300s; keepalive_requests 100000;
  server {{
    listen unix:{sock_path};
    root {d}/www;
    location / {{
      limit_req zone=z {spec["limit"]};
      limit_req_dry_run on;
      limit_req_log_level info;
      add_header X-LR $limit_req_status always;
      add_header X-T $connection_time always;
    }}
  }}
}}
"""
conf_path = os.path.join(d, "nginx.conf")
open(conf_path, "w").write(conf)
proc = subprocess.Popen([spec["nginx"], "-p", d, "-c", conf_path, "-e", os.path.join(d, "error.log")],
                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

class UnixConn(http.client.HTTPConnection):
    def __init__(self, path):
        super().__init__("localhost", timeout=30)
        self.unix_path = path
    def connect(self):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.settimeout(30)
        self.sock.connect(self.unix_path)

try:
    deadline = time.time() + 10
    while not os.path.exists(sock_path):
        if proc.poll() is not None or time.time() > deadline:
            raise RuntimeError("nginx did not start: " + open(os.path.join(d, "error.log")).read())
        time.sleep(0.01)
    conn = UnixConn(sock_path)
    out = []
    for i, req in enumerate(spec["requests"]):
        time.sleep(req["sleep_ms"] / 1000.0)
        conn.request("GET", "/f?k=%s&i=%d" % (req["key"], i))
        r = conn.getresponse()
        r.read()
        if r.status != 200:
            raise RuntimeError("HTTP %d for request %d" % (r.status, i))
        if r.getheader("Connection", "").lower() == "close":
            raise RuntimeError("nginx closed the keep-alive connection")
        sec, msec = r.getheader("X-T").split(".")
        out.append({"status": r.getheader("X-LR"), "ms": int(sec) * 1000 + int(msec), "excess": None})
    conn.close()
    time.sleep(0.1)
    pat = re.compile(r'(?:delaying|limiting) requests?, dry run, excess: (\d+)\.(\d{3}),? by zone .*?request: "GET /f\?k=\w+&i=(\d+) ')
    for line in open(os.path.join(d, "error.log")):
        m = pat.search(line)
        if m:
            out[int(m.group(3))]["excess"] = int(m.group(1)) * 1000 + int(m.group(2))
    print(json.dumps({"results": out}))
finally:
    proc.terminate()
    try:
        proc.wait(5)
    except subprocess.TimeoutExpired:
        proc.kill()
"""#
}
