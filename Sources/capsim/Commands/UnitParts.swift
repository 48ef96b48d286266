import Foundation
import Reports
import SimCore

/// Part files of a manifest's units, in `directory` (`UnitManifest.partFileName`).
struct UnitParts {
    let manifest: UnitManifest
    let directory: String

    /// Checks every part is present before anything is merged, so a missing unit stops the
    /// merge with one message listing them, not halfway through writing.
    init(manifest: UnitManifest, directory: String) throws {
        self.manifest = manifest
        self.directory = directory
        let missing = manifest.units.indices.map(UnitManifest.partFileName).filter {
            !FileManager.default.fileExists(atPath: (directory as NSString).appendingPathComponent($0))
        }
        if !missing.isEmpty {
            throw CLIError.badInput("\(directory): \(missing.count) of \(manifest.units.count) part file(s) missing: "
                                    + missing.prefix(8).joined(separator: ", ") + (missing.count > 8 ? ", …" : "")
                                    + "; evaluate those units (`capsim <argv> --out <part>`) and merge again")
        }
    }

    /// Units match on everything but the scenario path: a worker may keep the files elsewhere,
    /// the digest says the content is the same.
    static func same(_ a: WorkUnit, _ b: WorkUnit) -> Bool {
        a.overrides == b.overrides && a.seed == b.seed && a.replication == b.replication && a.scenarioDigest == b.scenarioDigest
    }

    func metrics(for unit: WorkUnit) throws -> RunMetrics {
        guard let k = manifest.units.firstIndex(where: { UnitParts.same($0, unit) }) else {
            throw CLIError.badInput("the scenario or the arguments changed since the units were planned: no planned unit for "
                                    + "\(unit.scenario) replication \(unit.replication) seed \(unit.seed) (digest \(unit.scenarioDigest)); plan and run the units again")
        }
        let name = (directory as NSString).appendingPathComponent(UnitManifest.partFileName(k))
        let part: PartialResult
        do {
            let text = try String(contentsOfFile: name, encoding: .utf8)
            part = try PartialResult.read(text, name: name)
        } catch let e as JSONReadError { throw CLIError.badInput(e.description) }
        catch { throw CLIError.badInput("\(name): \(error.localizedDescription)") }
        guard UnitParts.same(part.unit, manifest.units[k]) else {
            throw CLIError.badInput("\(name): holds replication \(part.unit.replication) seed \(part.unit.seed) (digest \(part.unit.scenarioDigest)), "
                                    + "not the planned unit \(k) (replication \(unit.replication) seed \(unit.seed), digest \(unit.scenarioDigest))")
        }
        return part.metrics
    }
}
