/// The state of one evaluation: the context, the budget counters, the call depth.
///
/// Created per evaluation and never shared between threads.
package final class Interpreter {
    package let context: EvaluationContext
    package var steps = 0
    package var allocated = 0
    package var callDepth = 0

    package init(context: EvaluationContext) {
        self.context = context
    }
}
