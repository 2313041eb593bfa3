import KubeTestServer
print("\(KubeTestServerInfo.name): not yet runnable")
