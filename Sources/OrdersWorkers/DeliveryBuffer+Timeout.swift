extension DeliveryBuffer {
    /// Like `waitForEvents()`, but returns after `timeout` at the latest, so that an idle loop
    /// still turns (and proves to the watchdog that it is alive).
    public func waitForEvents(atMost timeout: Duration) async {
        await withTaskGroup(of: Bool.self) { group in
            group.addTask { await self.waitForEvents(); return false }
            group.addTask { (try? await Task.sleep(for: timeout)) != nil }
            // The timer won: wake the waiter (or, if it is not waiting yet, make its wait return at once).
            if await group.next() == true { interrupt() }
            group.cancelAll()
        }
    }
}
