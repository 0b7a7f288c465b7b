import JSONKit
import DockerModels

/// `docker system df` output, summary and `-v`.
public enum DiskUsageTable {
    /// The summary table: one row per kind, as docker's `diskUsage*Context` computes it.
    public static func render(_ usage: DiskUsage) -> String {
        var table = TableWriter()
        table.append(["TYPE", "TOTAL", "ACTIVE", "SIZE", "RECLAIMABLE"])
        var used: Int64 = 0
        for image in usage.Images where image.Containers != 0 && image.VirtualSize != -1 && image.SharedSize != -1 {
            used += image.VirtualSize - image.SharedSize
        }
        table.append(["Images", String(usage.Images.count), String(usage.Images.filter { $0.Containers > 0 }.count),
                      HumanUnits.size(usage.LayersSize, digits: 4),
                      reclaimable(usage.LayersSize - used, of: usage.LayersSize)])
        let active: Set<String> = ["running", "paused", "restarting"]
        let containerSize = usage.Containers.reduce(0) { $0 + ($1.SizeRw ?? 0) }
        let containerReclaimable = usage.Containers.filter { !active.contains($0.State) }
            .reduce(0) { $0 + ($1.SizeRw ?? 0) }
        table.append(["Containers", String(usage.Containers.count),
                      String(usage.Containers.filter { active.contains($0.State) }.count),
                      HumanUnits.size(containerSize, digits: 4), reclaimable(containerReclaimable, of: containerSize)])
        let sizes = usage.Volumes.compactMap { volume in volume.UsageData.flatMap { $0.Size >= 0 ? $0 : nil } }
        let volumeSize = sizes.reduce(0) { $0 + $1.Size }
        let volumeReclaimable = sizes.filter { $0.RefCount == 0 }.reduce(0) { $0 + $1.Size }
        table.append(["Local Volumes", String(usage.Volumes.count),
                      String(usage.Volumes.filter { ($0.UsageData?.RefCount ?? 0) > 0 }.count),
                      HumanUnits.size(volumeSize, digits: 4), reclaimable(volumeReclaimable, of: volumeSize)])
        table.append(["Build Cache", "0", "0", "0B", "0B"])
        return table.render()
    }

    /// `SIZE (N%)` when `total` is above zero, as docker prints reclaimable space.
    static func reclaimable(_ size: Int64, of total: Int64) -> String {
        let text = HumanUnits.size(size, digits: 4)
        return total > 0 ? "\(text) (\(size * 100 / total)%)" : text
    }

    /// `system df -v`: images, containers, volumes and the (empty) build cache, each in its own table.
    public static func renderVerbose(_ usage: DiskUsage, now: Int64) -> String {
        var images = TableWriter()
        images.append(["REPOSITORY", "TAG", "IMAGE ID", "CREATED", "SIZE", "SHARED SIZE", "UNIQUE SIZE",
                       "CONTAINERS"])
        for image in usage.Images {
            let id = String((image.Id.hasPrefix("sha256:") ? image.Id.dropFirst(7) : Substring(image.Id)).prefix(12))
            let tags = image.RepoTags.filter { $0 != "<none>:<none>" }
            for reference in tags.isEmpty ? ["<none>:<none>"] : tags {
                let (repository, tag) = reference == "<none>:<none>" ? ("<none>", "<none>")
                    : ImageTable.split(reference)
                // docker shows N/A where the daemon did not compute the shared size (-1).
                let shared = image.SharedSize == -1 ? "N/A" : HumanUnits.size(image.SharedSize)
                let unique = image.SharedSize == -1 ? "N/A" : HumanUnits.size(image.Size - image.SharedSize)
                images.append([repository, tag, id, HumanUnits.ago(image.Created, now: now),
                               HumanUnits.size(image.Size), shared, unique, String(image.Containers)])
            }
        }
        var containers = TableWriter()
        containers.append(["CONTAINER ID", "IMAGE", "COMMAND", "LOCAL VOLUMES", "SIZE", "CREATED", "STATUS",
                           "NAMES"])
        for container in usage.Containers {
            let volumes = container.Mounts.filter { $0.Type == "volume" }.count
            containers.append([String(container.Id.prefix(12)), container.Image,
                               JSONString.quoted(ContainerTable.ellipsis(container.Command, 20)), String(volumes),
                               HumanUnits.size(container.SizeRw ?? 0), HumanUnits.ago(container.Created, now: now),
                               container.Status, ContainerTable.names(container.Names, truncate: true)])
        }
        var volumes = TableWriter()
        volumes.append(["VOLUME NAME", "LINKS", "SIZE"])
        for volume in usage.Volumes {
            volumes.append([volume.Name, String(volume.UsageData?.RefCount ?? 0),
                            HumanUnits.size(volume.UsageData?.Size ?? 0)])
        }
        var cache = TableWriter()
        cache.append(["CACHE ID", "CACHE TYPE", "SIZE", "CREATED", "LAST USED", "USAGE", "SHARED"])
        return "Images space usage:\n\n" + images.render() + "\nContainers space usage:\n\n" + containers.render()
            + "\nLocal Volumes space usage:\n\n" + volumes.render() + "\nBuild cache usage: 0B\n\n" + cache.render()
    }
}
