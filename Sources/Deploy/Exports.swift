/// The bundle rules are part of Deploy's interface: everything that imports Deploy sees them.
@_exported import WorkflowBundle
