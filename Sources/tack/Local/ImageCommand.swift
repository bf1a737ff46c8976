import ArgumentParser
import Foundation
import TackCore
import TackLocal

/// `tack image`: the local image store.
struct ImageCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "image", abstract: "List, import and remove images in the local image store.",
        subcommands: [List.self, Import.self, Remove.self])

    /// `tack image ls`.
    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "ls", abstract: "List the local images.")
        @OptionGroup var runtime: RuntimeOptions
        @Option(name: [.customShort("o"), .long], help: "Output format: text or json.")
        var output: OutputFormat = .text

        func run() async throws {
            do {
                let images = try LocalImageStore(root: runtime.runtimeHome.images).list()
                switch output {
                case .json:
                    Console.out(try Console.json(images.map(ImageRow.init)))
                case .text:
                    let rows = [["NAME", "TAG", "DIGEST", "SIZE", "CREATED"]] + images.map { image in
                        [image.name, image.tag ?? "<none>", String(image.digest.prefix(19)),
                         ByteCount.text(image.sizeInBytes), image.created.formatted(.iso8601)]
                    }
                    Console.out(StatusRenderer.table(rows))
                }
            } catch {
                throw LocalRuntimeError.exit(error)
            }
        }
    }

    /// `tack image import ROOT --tag NAME:TAG`.
    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "import", abstract: "Import a staged image root (as manifests/images/*/stage.sh writes it).",
            discussion: "The manifest is read from ROOT/etc/NAME/image.json. --env adds variables to it, so one staged root can give several versions.")
        @OptionGroup var runtime: RuntimeOptions
        @Argument(help: "The staged root directory.")
        var root: String
        @Option(name: .long, help: "The reference to tag it with, NAME:TAG.")
        var tag: String
        @Option(name: .long, help: "An environment variable for the image, KEY=VALUE (repeatable).")
        var env: [String] = []

        func run() async throws {
            do {
                let reference = try ImageRef(parsing: tag)
                guard let tagName = reference.tag, reference.digest == nil else {
                    throw ValidationError("--tag must be NAME:TAG; got \(tag)")
                }
                let store = LocalImageStore(root: runtime.runtimeHome.images)
                let image: LocalImage
                if env.isEmpty {
                    image = try store.importStaged(root: root, tag: tagName, name: reference.name)
                } else {
                    var manifest = try LocalImageManifest.load(path: "\(root)/etc/\(reference.path.split(separator: "/").last ?? "")/image.json")
                    for pair in env {
                        guard let equals = pair.firstIndex(of: "="), equals != pair.startIndex else {
                            throw ValidationError("--env must be KEY=VALUE; got \(pair)")
                        }
                        manifest.env[String(pair[..<equals])] = String(pair[pair.index(after: equals)...])
                    }
                    image = try store.importImage(rootfs: root, manifest: manifest, name: reference.name, tag: tagName)
                }
                Console.out("\(image.displayName) \(image.digest)\n")
            } catch let error as ValidationError {
                throw error
            } catch {
                throw LocalRuntimeError.exit(error)
            }
        }
    }

    /// `tack image rm NAME:TAG`.
    struct Remove: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "rm", abstract: "Remove a tag (and the image once no tag points at it).")
        @OptionGroup var runtime: RuntimeOptions
        @Argument(help: "The image reference.")
        var reference: String

        func run() async throws {
            do {
                let removal = try LocalImageStore(root: runtime.runtimeHome.images).remove(try ImageRef(parsing: reference))
                for tag in removal.untagged { Console.out("untagged \(tag)\n") }
                if let digest = removal.deletedDigest { Console.out("deleted \(digest)\n") }
            } catch {
                throw LocalRuntimeError.exit(error)
            }
        }
    }
}

/// One row of `tack image ls -o json`.
struct ImageRow: Encodable {
    var name: String
    var tag: String?
    var digest: String
    var sizeBytes: Int64
    var created: Date

    init(_ image: LocalImage) {
        name = image.name
        tag = image.tag
        digest = image.digest
        sizeBytes = image.sizeInBytes
        created = image.created
    }
}

/// Byte counts as people read them.
enum ByteCount {
    static func text(_ bytes: Int64) -> String {
        let units = ["B", "KiB", "MiB", "GiB"]
        var value = Double(bytes)
        var unit = 0
        while value >= 1024 && unit < units.count - 1 {
            value /= 1024
            unit += 1
        }
        return unit == 0 ? "\(bytes) B" : String(format: "%.1f %@", value, units[unit])
    }
}
