import Foundation

extension Checkpoint {
    /// A checkpoint directory found in an output directory.
    public struct Location: Sendable, Equatable {
        /// The optimizer step it was taken at.
        public let step: Int
        /// The directory's path.
        public let path: String
    }

    /// The complete checkpoints in `outputDirectory`, oldest first; empty when the directory does not exist.
    ///
    /// Only directories named `checkpoint-STEP` count; half-written `checkpoint-STEP.tmp-PID` ones are skipped.
    public static func list(_ outputDirectory: String) throws(LoRAError) -> [Location] {
        let manager = FileManager.default
        guard manager.fileExists(atPath: outputDirectory) else { return [] }
        let names: [String]
        do { names = try manager.contentsOfDirectory(atPath: outputDirectory) } catch {
            throw .cannotRead(path: outputDirectory, reason: DurableFiles.describe(error))
        }
        return names.compactMap { name -> Location? in
            let digits = name.dropFirst("checkpoint-".count)
            guard name.hasPrefix("checkpoint-"), !digits.isEmpty, digits.allSatisfy(\.isASCII), digits.allSatisfy(\.isNumber),
                  let step = Int(digits) else { return nil }
            let path = outputDirectory + "/" + name
            var isDirectory: ObjCBool = false
            guard manager.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue else { return nil }
            return Location(step: step, path: path)
        }.sorted { $0.step < $1.step }
    }

    /// The newest complete checkpoint in `outputDirectory`, or nil when there is none.
    public static func latest(_ outputDirectory: String) throws(LoRAError) -> Location? { try list(outputDirectory).last }

    /// Removes all but the newest `keep` checkpoints, and any left half-written by a crash.
    public static func prune(_ outputDirectory: String, keep: Int) throws(LoRAError) {
        precondition(keep >= 0, "keep must not be negative")
        let manager = FileManager.default
        guard manager.fileExists(atPath: outputDirectory) else { return }
        let names: [String]
        do { names = try manager.contentsOfDirectory(atPath: outputDirectory) } catch {
            throw .cannotRead(path: outputDirectory, reason: DurableFiles.describe(error))
        }
        let leftovers = names.filter { $0.hasPrefix("checkpoint-") && $0.contains(DurableFiles.temporaryMarker) }
        let stale = try list(outputDirectory).dropLast(keep).map(\.path)
        for path in leftovers.map({ outputDirectory + "/" + $0 }) + stale {
            do { try manager.removeItem(atPath: path) } catch {
                throw .cannotWrite(path: path, reason: DurableFiles.describe(error))
            }
        }
    }
}
