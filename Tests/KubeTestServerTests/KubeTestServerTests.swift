// The test API server's own tests land with it.
import Testing
