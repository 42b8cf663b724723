/// One event of a Go execution trace, in the order Go's `internal/trace.Reader` delivers
/// it: wire type, time in nanoseconds (made strictly increasing as the reader does), the
/// arguments after the timestamp, and the scheduling context (goroutine, proc, thread;
/// -1 = none) the event happened in.
public struct TraceEvent: Sendable {
    /// The wire event type (`TraceWire.Ev`), or `TraceEvent.sync` between generations.
    public var type: UInt8
    /// Nanoseconds on the trace clock.
    public var time: Int64
    var a0: UInt64 = 0
    var a1: UInt64 = 0
    var a2: UInt64 = 0
    var a3: UInt64 = 0
    /// What the ordering smuggles in, as Go's reader does: a goroutine's or proc's state
    /// before a status event, a stolen proc's status.
    var extra: UInt64 = 0
    /// The goroutine running when the event happened (-1: none).
    public var g: Int64 = -1
    /// The proc (-1: none).
    public var p: Int64 = -1
    /// The thread (-1: none).
    public var m: Int64 = -1

    /// The type of the synthetic event at each generation's start and the trace's end.
    public static let sync: UInt8 = 255

    init(type: UInt8, time: Int64) {
        self.type = type
        self.time = time
    }

    /// Argument `i` after the timestamp.
    func arg(_ i: Int) -> UInt64 {
        switch i {
        case 0: return a0
        case 1: return a1
        case 2: return a2
        default: return a3
        }
    }

    /// The stack of the event's own execution context (`Event.Stack` in Go: the first
    /// stack argument), 0 when none.
    var stackID: UInt64 {
        guard type != Self.sync, let spec = TraceWire.specs[Int(type)], let first = spec.stackArgs.first else { return 0 }
        return arg(first - 1)
    }
}

/// A goroutine's state as Go's `trace.GoState` names it.
public enum TraceGoState: UInt8, Sendable {
    case undetermined, notExist, runnable, running, waiting, syscall

    /// The state of a wire `GoStatus` value (1 runnable, 2 running, 3 syscall, 4 waiting).
    static func ofWire(_ s: UInt64) -> TraceGoState {
        switch s {
        case 1: return .runnable
        case 2: return .running
        case 3: return .syscall
        case 4: return .waiting
        default: return .undetermined
        }
    }
}

/// A goroutine state transition (`Event.StateTransition` for goroutine resources).
struct TraceGoTransition {
    var id: Int64
    var from: TraceGoState
    var to: TraceGoState
    /// The reason string id (GoStop, GoBlock), 0 otherwise.
    var reason: UInt64 = 0
    /// The transition's stack: the new goroutine's for creation, the event's otherwise.
    var stack: UInt64 = 0
}

extension TraceEvent {
    /// The goroutine state transition this event is, if it is one.
    var goTransition: TraceGoTransition? {
        typealias Ev = TraceWire.Ev
        switch type {
        case Ev.goCreate: return TraceGoTransition(id: Int64(bitPattern: a0), from: .notExist, to: .runnable, stack: a1)
        case Ev.goCreateBlocked:
            return TraceGoTransition(id: Int64(bitPattern: a0), from: .notExist, to: .waiting, stack: a1)
        case Ev.goCreateSyscall: return TraceGoTransition(id: Int64(bitPattern: a0), from: .notExist, to: .syscall)
        case Ev.goStart: return TraceGoTransition(id: Int64(bitPattern: a0), from: .runnable, to: .running)
        case Ev.goDestroy: return TraceGoTransition(id: g, from: .running, to: .notExist)
        case Ev.goDestroySyscall: return TraceGoTransition(id: g, from: .syscall, to: .notExist)
        case Ev.goStop: return TraceGoTransition(id: g, from: .running, to: .runnable, reason: a0, stack: a1)
        case Ev.goBlock: return TraceGoTransition(id: g, from: .running, to: .waiting, reason: a0, stack: a1)
        case Ev.goUnblock, Ev.goSwitch, Ev.goSwitchDestroy:
            return TraceGoTransition(id: Int64(bitPattern: a0), from: .waiting, to: .runnable)
        case Ev.goSyscallBegin: return TraceGoTransition(id: g, from: .running, to: .syscall, stack: a1)
        case Ev.goSyscallEnd: return TraceGoTransition(id: g, from: .syscall, to: .running)
        case Ev.goSyscallEndBlocked: return TraceGoTransition(id: g, from: .syscall, to: .runnable)
        case Ev.goStatus:
            return TraceGoTransition(
                id: Int64(bitPattern: a0), from: TraceGoState(rawValue: UInt8(extra)) ?? .undetermined,
                to: .ofWire(a2))
        case Ev.goStatusStack:
            return TraceGoTransition(
                id: Int64(bitPattern: a0), from: TraceGoState(rawValue: UInt8(extra)) ?? .undetermined,
                to: .ofWire(a2), stack: a3)
        default: return nil
        }
    }
}
