import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// The process series every Prometheus client library exports, under their conventional names,
/// read from /proc at each scrape (Linux only; elsewhere nothing is emitted).
enum ProcessMetrics {
    struct Sample: Equatable {
        var residentBytes: Int
        var cpuSeconds: Double
        var openFileDescriptors: Int
        var startTimeSeconds: Double
    }

    /// The Prometheus text of the current sample, or "" when /proc cannot be read.
    static func text() -> String {
        guard let sample = current() else { return "" }
        return exposition(sample)
    }

    static func exposition(_ sample: Sample) -> String {
        """
        # HELP process_resident_memory_bytes Resident memory size in bytes.
        # TYPE process_resident_memory_bytes gauge
        process_resident_memory_bytes \(sample.residentBytes)
        # HELP process_cpu_seconds_total Total user and system CPU time spent in seconds.
        # TYPE process_cpu_seconds_total counter
        process_cpu_seconds_total \(sample.cpuSeconds)
        # HELP process_open_fds Number of open file descriptors.
        # TYPE process_open_fds gauge
        process_open_fds \(sample.openFileDescriptors)
        # HELP process_start_time_seconds Start time of the process since unix epoch in seconds.
        # TYPE process_start_time_seconds gauge
        process_start_time_seconds \(sample.startTimeSeconds)

        """
    }

    static func current() -> Sample? {
        #if os(Linux)
            guard let stat = try? String(contentsOfFile: "/proc/self/stat", encoding: .utf8),
                let systemStat = try? String(contentsOfFile: "/proc/stat", encoding: .utf8),
                let bootTime = bootTime(systemStat),
                let descriptors = try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")
            else { return nil }
            // Listing the directory holds one descriptor of its own, which is not the process's.
            return sample(
                stat: stat, bootTime: bootTime, ticksPerSecond: Int(sysconf(Int32(_SC_CLK_TCK))),
                pageSize: Int(sysconf(Int32(_SC_PAGESIZE))), openFileDescriptors: max(0, descriptors.count - 1))
        #else
            return nil
        #endif
    }

    /// From /proc/self/stat (proc(5)): utime, stime, starttime (clock ticks) and rss (pages), counted
    /// after the command name, which is in parentheses and may itself hold spaces and parentheses.
    static func sample(
        stat: String, bootTime: Int, ticksPerSecond: Int, pageSize: Int, openFileDescriptors: Int
    ) -> Sample? {
        guard let nameEnd = stat.lastIndex(of: ")"), ticksPerSecond > 0 else { return nil }
        // Fields from the third (state) on: index 0 is field 3.
        let fields = stat[stat.index(after: nameEnd)...].split(separator: " ")
        func field(_ number: Int) -> Int? { fields.count > number - 3 ? Int(fields[number - 3]) : nil }
        guard let userTicks = field(14), let systemTicks = field(15), let startTicks = field(22),
            let residentPages = field(24)
        else { return nil }
        let ticks = Double(ticksPerSecond)
        return Sample(
            residentBytes: residentPages * pageSize, cpuSeconds: Double(userTicks + systemTicks) / ticks,
            openFileDescriptors: openFileDescriptors, startTimeSeconds: Double(bootTime) + Double(startTicks) / ticks)
    }

    /// The `btime` line of /proc/stat: when the system booted, in seconds since the epoch.
    static func bootTime(_ systemStat: String) -> Int? {
        for line in systemStat.split(separator: "\n") where line.hasPrefix("btime ") {
            return Int(line.dropFirst("btime ".count))
        }
        return nil
    }
}
