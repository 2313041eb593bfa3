// The hook tests live beside the hook logic as it lands.
import Testing
