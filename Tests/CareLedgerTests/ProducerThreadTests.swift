@testable import CareLedger
import Foundation
import Testing

@Suite("Producer thread")
struct ProducerThreadTests {
    /// Records on which thread each block's contents were freed.
    final class FreedOn: @unchecked Sendable {
        private let lock = NSLock()
        private var threads: [Int: pthread_t] = [:]
        private var producer: pthread_t?

        func record(_ block: Int) { lock.withLock { threads[block] = pthread_self() } }
        func producerStarted() { lock.withLock { producer = pthread_self() } }
        var producerThread: pthread_t? { lock.withLock { producer } }
        func thread(of block: Int) -> pthread_t? { lock.withLock { threads[block] } }
    }

    /// What a block holds: freed where its last reference goes.
    final class Payload: Sendable {
        let number: Int
        let freedOn: FreedOn
        init(_ number: Int, _ freedOn: FreedOn) {
            self.number = number
            self.freedOn = freedOn
        }
        deinit { freedOn.record(number) }
    }

    struct Block: Sendable {
        let payload: Payload
    }

    private func producer(blocks: Int, freedOn: FreedOn, capacity: Int = 1) -> ProducerThread<Block> {
        ProducerThread(name: "careledger-test-producer", capacity: capacity) { producer in
            freedOn.producerStarted()
            for number in 0..<blocks {
                guard producer.hand(Block(payload: Payload(number, freedOn))) else { return }
            }
        }
    }

    @Test func blocksArriveInOrderAndAllOfThem() {
        let producer = producer(blocks: 50, freedOn: FreedOn(), capacity: 4)
        producer.start()
        var numbers: [Int] = []
        while let block = producer.next() { numbers.append(block.payload.number) }
        producer.stop()
        #expect(numbers == Array(0..<50))
    }

    @Test func stoppingEarlyEndsTheProducer() {
        let producer = producer(blocks: 1_000, freedOn: FreedOn(), capacity: 2)
        producer.start()
        let first = producer.next()
        producer.stop()  // returns only once the producer thread has ended
        #expect(first?.payload.number == 0)
    }

    /// With room for one block, the producer hands block k + 2 only after the caller has taken
    /// block k + 1, which it does after giving block k back: so every block but the last two is
    /// given back before the producer's next hand, and must be freed there.
    @Test func blocksGivenBackAreFreedByTheProducerThread() throws {
        let freedOn = FreedOn()
        let count = 20
        let producer = producer(blocks: count, freedOn: freedOn)
        producer.start()
        while let block = producer.next() {
            producer.giveBack(consume block)
        }
        producer.stop()
        let producerThread = try #require(freedOn.producerThread)
        for number in 0..<(count - 2) {
            let thread = try #require(freedOn.thread(of: number), "block \(number) was never freed")
            #expect(pthread_equal(thread, producerThread) != 0, "block \(number) was freed by another thread")
        }
    }
}
