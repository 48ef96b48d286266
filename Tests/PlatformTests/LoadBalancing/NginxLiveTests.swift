import Foundation
import Testing
import Platform
import CapsimTestSupport

/// Compares the balancers with a real NGINX (Debian package `nginx`, 1.22): a private instance on
/// a unix socket in a temporary directory, one worker, in front of Python backends on 127.0.0.1
/// that report their id (and can hold a request open, for least_conn). The driver script is
/// below; it stops nginx itself, and the test kills any leftover by pid file.
@Suite(.serialized, .enabled(if: RealSystems.canRun("nginx", RealSystems.python), "nginx or python3 not installed (apt-get install -y nginx)"))
struct NginxLiveTests {

    struct Run {
        var servers: [String]
        var phases: [[Int?]]
    }

    /// Runs the driver. nginx and python3 are required (the suite is skipped without them unless
    /// CAPSIM_REQUIRE_REAL_SYSTEMS=1, where their absence fails here).
    func runNginx(method: String, backends: Int, phases: [[String: Any]]) throws -> Run? {
        let nginx = try #require(Subprocess.which("nginx"), "nginx not installed: apt-get install -y nginx")
        try #require(Subprocess.which(RealSystems.python) != nil, "python3 not found")
        let spec: [String: Any] = ["method": method, "backends": backends, "phases": phases]
        let outcome = try NginxHarness.run(prefix: "capsim-nginx", nginx: nginx, driver: Self.driver, spec: spec, timeout: 150)
        guard case .ok(let obj) = outcome, let servers = obj["servers"] as? [String], let raw = obj["phases"] as? [[Any]] else {
            if case .failed(let why) = outcome { Issue.record(Comment(rawValue: why)) } else { Issue.record("nginx driver printed no servers/phases") }
            return nil
        }
        return Run(servers: servers, phases: raw.map { $0.map { $0 as? Int } })
    }

    static func requests(_ keys: [String]) -> [[String: Any]] { keys.map { ["op": "req", "key": $0] } }

    /// Smooth weighted round robin: the exact pick sequence of several weight vectors.
    @Test func roundRobinMatchesNginx() throws {
        let vectors = [[5, 1, 1], [3, 2, 1, 4], [1, 1, 1], [7, 3, 5, 2, 1, 9]]
        let phases: [[String: Any]] = vectors.map { w in
            ["members": w.enumerated().map { [$0.offset, $0.element] },
             "ops": Self.requests((0..<(3 * w.reduce(0, +))).map { "r\($0)" })]
        }
        guard let run = try runNginx(method: "", backends: 6, phases: phases) else { return }
        var compared = 0
        for (p, w) in vectors.enumerated() {
            let rr = RoundRobinBalancer()
            for (i, weight) in w.enumerated() { rr.addBackend(i, BackendConfig(weight: weight)) }
            let mine = run.phases[p].map { _ in rr.choose(now: 0) }
            #expect(mine == run.phases[p], "weights \(w)")
            compared += mine.count
        }
        print("NginxLiveTests.roundRobin: \(compared) picks compared with nginx")
    }

    /// least_conn with requests held open: after every open/close, the next pick matches nginx.
    @Test(arguments: [[1, 2, 1, 3, 1], [1, 1, 1, 1], [5, 1, 2]])
    func leastConnMatchesNginx(weights: [Int]) throws {
        var rng = LBSplitMix64(seed: UInt64(weights.count * 31 + weights[0]))
        var ops: [[String: Any]] = []
        var opens = 0
        var held: [Int] = []           // indexes of opens still held
        for _ in 0..<90 {
            if held.isEmpty || (rng.below(10) < 6 && held.count < 25) {
                ops.append(["op": "open"])
                held.append(opens)
                opens += 1
            } else {
                let k = held.remove(at: rng.below(held.count))
                ops.append(["op": "close", "index": k])
            }
        }
        let phase: [String: Any] = ["members": weights.enumerated().map { [$0.offset, $0.element] }, "ops": ops]
        guard let run = try runNginx(method: "least_conn;", backends: weights.count, phases: [phase]) else { return }
        let lc = LeastConnectionsBalancer()
        for (i, w) in weights.enumerated() { lc.addBackend(i, BackendConfig(weight: w)) }
        var openedOn: [Int] = []
        var compared = 0, mismatches = 0
        for (k, op) in ops.enumerated() {
            let theirs = run.phases[0][k]
            if op["op"] as? String == "open" {
                let mine = lc.choose(now: 0)
                compared += 1
                if mine != theirs { mismatches += 1 }
                #expect(mine == theirs, "op \(k)")
                guard let id = theirs else { continue }
                lc.connectionOpened(id)       // follow nginx's state even after a mismatch
                openedOn.append(id)
            } else {
                lc.connectionClosed(openedOn[op["index"] as! Int], now: 0)
            }
        }
        print("NginxLiveTests.leastConn \(weights): \(compared) picks compared, \(mismatches) mismatches")
    }

    /// `hash $arg_k consistent`: 4000 keys against nginx, then again after one backend leaves and
    /// another joins (the balancer changes membership in place; nginx restarts with the new list).
    @Test func consistentHashMatchesNginx() throws {
        let keys = (0..<4000).map { "user-\($0 * 7 + 3)" }
        let first: [[Int]] = [[0, 1], [1, 1], [2, 2], [3, 1], [4, 1], [5, 1]]
        let second: [[Int]] = [[0, 1], [1, 1], [2, 2], [4, 1], [5, 1], [6, 3]]
        let phases: [[String: Any]] = [["members": first, "ops": Self.requests(keys)],
                                       ["members": second, "ops": Self.requests(keys)]]
        guard let run = try runNginx(method: "hash $arg_k consistent;", backends: 7, phases: phases) else { return }
        let ch = ConsistentHashBalancer()
        for m in first { ch.addBackend(m[0], BackendConfig(weight: m[1], server: run.servers[m[0]])) }
        let before = keys.map { ch.choose(keyHash: ConsistentHashBalancer.keyHash($0), now: 0) }
        #expect(before == run.phases[0])
        ch.removeBackend(3)
        ch.addBackend(6, BackendConfig(weight: 3, server: run.servers[6]))
        let after = keys.map { ch.choose(keyHash: ConsistentHashBalancer.keyHash($0), now: 0) }
        #expect(after == run.phases[1])
        let mismatches = zip(before, run.phases[0]).filter { $0 != $1 }.count + zip(after, run.phases[1]).filter { $0 != $1 }.count
        print("NginxLiveTests.consistentHash: \(2 * keys.count) keys compared, \(mismatches) mismatches")
    }

    /// `hash $arg_k consistent` with an empty key: nginx skips the ring and uses smooth weighted
    /// round robin (`ngx_http_upstream_get_chash_peer`, `hp->key.len == 0`). Weights 3,3,3,1,2:
    /// 36 requests without a key (three full rounds), then keyed and empty requests interleaved
    /// (the ring picks and the round robin share one peer table), must give nginx's picks.
    @Test func consistentHashEmptyKeyFallsBackToRoundRobin() throws {
        let weights = [3, 3, 3, 1, 2]
        var keys = Array(repeating: "", count: 36)
        for i in 0..<60 { keys.append(i % 3 == 0 ? "user-\(i * 13 + 5)" : "") }
        let members = weights.enumerated().map { [$0.offset, $0.element] }
        let phases: [[String: Any]] = [["members": members, "ops": Self.requests(keys)]]
        guard let run = try runNginx(method: "hash $arg_k consistent;", backends: weights.count, phases: phases) else { return }
        let ch = ConsistentHashBalancer()
        for (i, w) in weights.enumerated() { ch.addBackend(i, BackendConfig(weight: w, server: run.servers[i])) }
        let mine = keys.map { ch.choose(key: $0, now: 0) }
        #expect(mine == run.phases[0])
        // The first round of empty keys visits every backend in proportion to its weight (12 picks
        // spread 3,3,3,1,2), where hashing "" would send every one of them to one ring point.
        let firstRound = run.phases[0].prefix(12).compactMap { $0 }
        #expect(weights.indices.map { b in firstRound.filter { $0 == b }.count } == weights)
        print("NginxLiveTests.emptyKey: \(keys.count) picks compared, \(zip(mine, run.phases[0]).filter { $0 != $1 }.count) mismatches")
    }

    static let driver = #"""
# Drives a private nginx (one worker, no daemon, unix socket) in front of Python backends on
# 127.0.0.1 and reports which backend served each request. Spec (JSON file, argv[1]):
#   {"nginx": path, "dir": tmpdir, "method": "least_conn;" | "" | "hash $arg_k consistent;",
#    "backends": N,
#    "phases": [{"members": [[backend, weight], ...],
#                "ops": [{"op": "req", "key": k} | {"op": "open"} | {"op": "close", "index": i}]}]}
# "close" releases the i-th "open" of the phase. Each phase runs a fresh nginx whose upstream lists
# the members in order. Prints {"servers": ["127.0.0.1:port", ...], "phases": [[backend or null per op]]}.
import http.client, http.server, json, os, signal, socket, subprocess, sys, threading, time, urllib.parse

spec = json.load(open(sys.argv[1]))
# The test runner may start us with signals blocked; nginx would inherit that and ignore SIGTERM.
signal.pthread_sigmask(signal.SIG_SETMASK, [])
signal.signal(signal.SIGTERM, lambda *a: sys.exit(3))
signal.signal(signal.SIGALRM, lambda *a: sys.exit(4))
signal.alarm(100)

arrivals = {}             # hold token -> backend id
arrived = threading.Condition()
releases = {}             # hold token -> Event

class Handler(http.server.BaseHTTPRequestHandler):
    def log_message(self, *a): pass
    def do_GET(self):
        q = urllib.parse.parse_qs(urllib.parse.urlparse(self.path).query)
        token = q.get("hold", [None])[0]
        if token is not None:
            with arrived:
                arrivals[token] = self.server.backend_id
                arrived.notify_all()
            releases[token].wait(60)
        body = str(self.server.backend_id).encode()
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

class UnixConn(http.client.HTTPConnection):
    def __init__(self, path):
        super().__init__("localhost", timeout=30)
        self.unix_path = path
    def connect(self):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.settimeout(30)
        self.sock.connect(self.unix_path)

def get(sock_path, url):
    c = UnixConn(sock_path)
    c.request("GET", url)
    r = c.getresponse()
    body = r.read().decode()
    c.close()
    if r.status != 200:
        raise RuntimeError("HTTP %d for %s: %s" % (r.status, url, body))
    return int(body)

class Quiet(http.server.ThreadingHTTPServer):
    daemon_threads = True
    def handle_error(self, request, client_address): pass

threading.excepthook = lambda args: None
servers, backends = [], []
for i in range(spec["backends"]):
    srv = Quiet(("127.0.0.1", 0), Handler)
    srv.backend_id = i
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    backends.append(srv)
    servers.append("127.0.0.1:%d" % srv.server_address[1])

def run_phase(phase, n_phase):
    d = spec["dir"]
    sock_path = os.path.join(d, "nginx%d.sock" % n_phase)
    lines = "\n".join("    server %s weight=%d;" % (servers[b], w) for b, w in phase["members"])
    conf = f"""
daemon off; master_process off; worker_processes 1;
error_log {d}/error.log warn; pid {d}/nginx.pid;
events {{ worker_connections 512; }}
http {{
  access_log off;
  client_body_temp_path {d}/body; proxy_temp_path {d}/proxy; fastcgi_temp_path {d}/fastcgi;
  uwsgi_temp_path {d}/uwsgi; scgi_temp_path {d}/scgi;
  upstream up {{
    {spec["method"]}
{lines}
  }}
  server {{
    listen unix:{sock_path};
    location / {{ proxy_pass http://up; proxy_next_upstream off; proxy_read_timeout 60s; }}
  }}
}}
"""
    conf_path = os.path.join(d, "nginx%d.conf" % n_phase)
    open(conf_path, "w").write(conf)
    proc = subprocess.Popen([spec["nginx"], "-p", d, "-c", conf_path, "-e", os.path.join(d, "error.log")],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.time() + 10
        while not os.path.exists(sock_path):
            if proc.poll() is not None or time.time() > deadline:
                raise RuntimeError("nginx did not start: " + open(os.path.join(d, "error.log")).read())
            time.sleep(0.01)
        results, held = [], []
        for k, op in enumerate(phase["ops"]):
            if op["op"] == "req":
                results.append(get(sock_path, "/?k=" + urllib.parse.quote(op["key"])))
            elif op["op"] == "open":
                token = "%d-%d" % (n_phase, k)
                releases[token] = threading.Event()
                out = {}
                t = threading.Thread(target=lambda tok=token, o=out: o.update(v=get(sock_path, "/?hold=" + tok)))
                t.start()
                with arrived:
                    if not arrived.wait_for(lambda: token in arrivals, timeout=10):
                        raise RuntimeError("held request never reached a backend")
                held.append((token, t, out))
                results.append(arrivals[token])
            else:
                token, t, out = held[op["index"]]
                releases[token].set()
                t.join(10)
                if t.is_alive():
                    raise RuntimeError("held request did not finish")
                time.sleep(0.02)     # let nginx finish the upstream bookkeeping
                results.append(None)
        for token, t, out in held:
            releases[token].set()
            t.join(10)
        return results
    finally:
        proc.terminate()
        try:
            proc.wait(5)
        except subprocess.TimeoutExpired:
            proc.kill()

try:
    print(json.dumps({"servers": servers, "phases": [run_phase(p, i) for i, p in enumerate(spec["phases"])]}))
finally:
    for b in backends:
        b.shutdown()
        b.server_close()
"""#
}
