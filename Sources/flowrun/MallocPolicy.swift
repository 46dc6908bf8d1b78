import Foundation

/// glibc's heap trimming for the long-running commands (`flowrun serve`, `flowrun worker`).
///
/// By default glibc gives the free top of a thread's heap back to the kernel (madvise) as soon as it
/// passes 128 KB. Serving webhooks with the embedded store hit that about once per request: SQLite
/// allocates and frees a page cache of 40-48 KB for the statement that ends an execution, and each
/// trim costs a system call, a TLB shootdown on every core and fresh zeroed pages on the next
/// request (measured: CPU per webhook request -16%, resident memory unchanged after 20,000
/// requests). Keeping up to 8 MB free per heap avoids it. `GLIBC_TUNABLES=glibc.malloc.trim_threshold=…`
/// or `MALLOC_TRIM_THRESHOLD_` set by the operator win.
enum MallocPolicy {
    static let trimThreshold: Int32 = 8 << 20

    /// `M_TRIM_THRESHOLD` of <malloc.h>, which the Glibc module does not import.
    private static let mTrimThreshold: Int32 = -1

    static func keepFreedHeapTops(environment: [String: String]) {
        #if os(Linux)
        if environment["MALLOC_TRIM_THRESHOLD_"] != nil { return }
        if environment["GLIBC_TUNABLES"]?.contains("malloc.trim_threshold") == true { return }
        // `mallopt(int, int)`, looked up in the C library (not in the Glibc module's headers).
        guard let symbol = dlsym(dlopen(nil, RTLD_NOW), "mallopt") else { return }
        let mallopt = unsafeBitCast(symbol, to: (@convention(c) (Int32, Int32) -> Int32).self)
        _ = mallopt(mTrimThreshold, trimThreshold)
        #endif
    }
}
