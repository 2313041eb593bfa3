import Foundation
import KubeTestServer
import Testing

/// The defaults the real registry fills in on create, as `kubectl get -o yaml` shows them on a cluster.
@Suite struct DefaultsTests {
    @Test func aCronJobGetsSetDefaultsCronJobsFields() async throws {
        try await withServer { server, http in
            var object = Fixture.cronJob("nightly")
            object.set(["spec", "concurrencyPolicy"], nil)
            let reply = try await http.post(Fixture.cronJobs, object)
            #expect(reply.status == 201)
            // SetDefaults_CronJob (pkg/apis/batch/v1/defaults.go).
            let spec = reply.json["spec"]
            #expect(spec?["concurrencyPolicy"] == "Allow")
            #expect(spec?["suspend"] == false)
            #expect(spec?["successfulJobsHistoryLimit"] == 3)
            #expect(spec?["failedJobsHistoryLimit"] == 1)
            #expect(server.object(.cronJobs, namespace: "default", name: "nightly")?.value(at: ["spec", "suspend"]) == false)
        }
    }

    @Test func aCronJobKeepsTheValuesItSets() async throws {
        try await withServer { _, http in
            var object = Fixture.cronJob("nightly")
            object.set(["spec", "suspend"], true)
            object.set(["spec", "successfulJobsHistoryLimit"], 0)
            let reply = try await http.post(Fixture.cronJobs, object)
            #expect(reply.json.value(at: ["spec", "concurrencyPolicy"]) == "Forbid")
            #expect(reply.json.value(at: ["spec", "suspend"]) == true)
            #expect(reply.json.value(at: ["spec", "successfulJobsHistoryLimit"]) == 0)
        }
    }

    @Test func anAppliedCronJobGetsTheDefaultsToo() async throws {
        try await withServer { _, http in
            let reply = try await http.apply(Fixture.cronJobs + "/nightly", Fixture.cronJob("nightly"))
            #expect(reply.status == 201)
            #expect(reply.json.value(at: ["spec", "failedJobsHistoryLimit"]) == 1)
        }
    }
}

/// The defaults inside a workload's pod template, as the generated defaulters set them
/// (pkg/apis/apps/v1/zz_generated.defaults.go and pkg/apis/batch/v1/zz_generated.defaults.go calling
/// pkg/apis/apps/v1/defaults.go and pkg/apis/core/v1/defaults.go).
@Suite struct WorkloadDefaultsTests {
    static let container = ["spec", "template", "spec", "containers"]

    @Test func aCreatedDeploymentGetsSetDefaultsDeploymentAndThePodDefaults() async throws {
        try await withServer { _, http in
            let reply = try await http.post(Fixture.deployments, Fixture.deployment("web"))
            #expect(reply.status == 201)
            let spec = reply.json["spec"]
            // SetDefaults_Deployment (pkg/apis/apps/v1/defaults.go).
            #expect(spec?["strategy"] == ["type": "RollingUpdate", "rollingUpdate": ["maxUnavailable": "25%", "maxSurge": "25%"]])
            #expect(spec?["revisionHistoryLimit"] == 10)
            #expect(spec?["progressDeadlineSeconds"] == 600)
            // SetDefaults_PodSpec (pkg/apis/core/v1/defaults.go).
            let pod = spec?.value(at: ["template", "spec"])
            #expect(pod?["restartPolicy"] == "Always")
            #expect(pod?["dnsPolicy"] == "ClusterFirst")
            #expect(pod?["schedulerName"] == "default-scheduler")
            #expect(pod?["terminationGracePeriodSeconds"] == 30)
            #expect(pod?["securityContext"] == .object([:]))
            // SetDefaults_Container and the container port's `+default="TCP"`.
            let container = pod?["containers"]?.array?.first
            #expect(container?["imagePullPolicy"] == "IfNotPresent")
            #expect(container?["terminationMessagePath"] == "/dev/termination-log")
            #expect(container?["terminationMessagePolicy"] == "File")
            // Container.Resources is a struct, not a pointer: encoding/json writes it empty.
            #expect(container?["resources"] == .object([:]))
            #expect(container?["ports"] == [["containerPort": 8080, "protocol": "TCP"]])
            // The stored object is the defaulted one, as a later GET shows.
            let read = try await http.get(Fixture.deployments + "/web")
            #expect(read.json.value(at: ["spec", "template", "spec", "dnsPolicy"]) == "ClusterFirst")
        }
    }

    @Test func theValuesAWorkloadSetsAreKept() async throws {
        try await withServer { _, http in
            var object = Fixture.deployment("web")
            object.set(["spec", "strategy"], ["type": "Recreate"])
            object.set(["spec", "revisionHistoryLimit"], 2)
            object.set(["spec", "template", "spec", "terminationGracePeriodSeconds"], 0)
            object.set(["spec", "template", "spec", "dnsPolicy"], "Default")
            object.set(Self.container, [["name": "engine", "image": "engine:1", "imagePullPolicy": "Never",
                                         "ports": [["containerPort": 53, "protocol": "UDP"]]]])
            let reply = try await http.post(Fixture.deployments, object)
            #expect(reply.status == 201)
            // A Recreate strategy gets no rollingUpdate (SetDefaults_Deployment only fills it for RollingUpdate).
            #expect(reply.json.value(at: ["spec", "strategy"]) == ["type": "Recreate"])
            #expect(reply.json.value(at: ["spec", "revisionHistoryLimit"]) == 2)
            #expect(reply.json.value(at: ["spec", "template", "spec", "terminationGracePeriodSeconds"]) == 0)
            #expect(reply.json.value(at: ["spec", "template", "spec", "dnsPolicy"]) == "Default")
            let container = reply.json.value(at: Self.container)?.array?.first
            #expect(container?["imagePullPolicy"] == "Never")
            #expect(container?["ports"] == [["containerPort": 53, "protocol": "UDP"]])
        }
    }

    @Test func imagePullPolicyIsAlwaysForLatestOrNoTag() async throws {
        try await withServer { _, http in
            var object = Fixture.deployment("web")
            let images = ["engine", "engine:latest", "registry.example:5000/team/engine", "engine:1.2",
                          "registry.example:5000/engine:2", "engine@sha256:" + String(repeating: "a", count: 64)]
            object.set(Self.container, .array(images.enumerated().map { ["name": .string("c\($0.offset)"), "image": .string($0.element)] }))
            let reply = try await http.post(Fixture.deployments, object)
            #expect(reply.status == 201)
            // SetDefaults_Container (pkg/apis/core/v1/defaults.go) with parsers.ParseImageName's "latest" for a bare name.
            let policies = reply.json.value(at: Self.container)?.array?.compactMap { $0["imagePullPolicy"]?.string }
            #expect(policies == ["Always", "Always", "Always", "IfNotPresent", "IfNotPresent", "IfNotPresent"])
        }
    }

    @Test func volumesAndProbesGetTheirDefaults() async throws {
        try await withServer { _, http in
            let volumes: [JSON] = [["name": "code", "configMap": ["name": "code"]],
                                   ["name": "token", "secret": ["secretName": "token", "defaultMode": 256]],
                                   ["name": "scratch"]]
            var object = Fixture.deployment("web", mounts: [["name": "code", "mountPath": "/code"]], volumes: volumes)
            var container = object.value(at: Self.container)?.array?.first ?? .object([:])
            container["readinessProbe"] = ["httpGet": ["port": 8080]]
            container["env"] = [["name": "POD", "valueFrom": ["fieldRef": ["fieldPath": "metadata.name"]]]]
            object.set(Self.container, [container])
            let reply = try await http.post(Fixture.deployments, object)
            #expect(reply.status == 201)
            let stored = reply.json.value(at: ["spec", "template", "spec", "volumes"])?.array
            // SetDefaults_ConfigMapVolumeSource / SetDefaults_SecretVolumeSource: 0644; SetDefaults_Volume: an emptyDir.
            #expect(stored?[0] == ["name": "code", "configMap": ["name": "code", "defaultMode": 420]])
            #expect(stored?[1] == ["name": "token", "secret": ["secretName": "token", "defaultMode": 256]])
            #expect(stored?[2] == ["name": "scratch", "emptyDir": .object([:])])
            let served = reply.json.value(at: Self.container)?.array?.first
            // SetDefaults_Probe and SetDefaults_HTTPGetAction.
            #expect(served?["readinessProbe"] == ["httpGet": ["port": 8080, "path": "/", "scheme": "HTTP"], "timeoutSeconds": 1,
                                                  "periodSeconds": 10, "successThreshold": 1, "failureThreshold": 3])
            // SetDefaults_ObjectFieldSelector.
            #expect(served?["env"] == [["name": "POD", "valueFrom": ["fieldRef": ["fieldPath": "metadata.name", "apiVersion": "v1"]]]])
        }
    }

    @Test func aCronJobsJobTemplateGetsThePodDefaultsButNotTheJobs() async throws {
        try await withServer { _, http in
            let reply = try await http.apply(Fixture.cronJobs + "/nightly", Fixture.cronJob("nightly"))
            #expect(reply.status == 201)
            let template = reply.json.value(at: ["spec", "jobTemplate", "spec"])
            #expect(template?.value(at: ["template", "spec", "restartPolicy"]) == "Never")
            #expect(template?.value(at: ["template", "spec", "schedulerName"]) == "default-scheduler")
            #expect(template?.value(at: ["template", "spec", "containers"])?.array?.first?["imagePullPolicy"] == "IfNotPresent")
            // SetDefaults_Job (pkg/apis/batch/v1/defaults.go) takes a Job: a job template's backoffLimit stays unset.
            #expect(template?["backoffLimit"] == nil)
        }
    }

    /// Server-side apply gives the applier its configuration's fields only: `structuredMergeManager.Apply`
    /// (staging/src/k8s.io/apimachinery/pkg/util/managedfields/internal/structuredmerge.go) computes ownership
    /// before the defaulter runs. An Update's manager (create, PUT, non-apply patch) compares the decoded, so
    /// defaulted, object with the live one, and owns the defaults it brought.
    @Test func anApplierDoesNotOwnTheDefaultsButACreatorDoes() async throws {
        try await withServer { _, http in
            let applied = try await http.apply(Fixture.deployments + "/applied", Fixture.deployment("applied"))
            #expect(applied.status == 201)
            #expect(applied.json.value(at: ["spec", "template", "spec", "dnsPolicy"]) == "ClusterFirst")
            let applierFields = applied.json.value(at: ["metadata", "managedFields"])?.array?.first?["fieldsV1"]?.text() ?? ""
            #expect(applierFields.contains("f:containerPort"))
            for defaulted in ["f:dnsPolicy", "f:imagePullPolicy", "f:protocol", "f:strategy", "f:revisionHistoryLimit", "f:resources"] {
                #expect(!applierFields.contains(defaulted), "\(defaulted) is not the applier's")
            }
            let created = try await http.post(Fixture.deployments, Fixture.deployment("created"))
            let creatorFields = created.json.value(at: ["metadata", "managedFields"])?.array?.first?["fieldsV1"]?.text() ?? ""
            for defaulted in ["f:dnsPolicy", "f:imagePullPolicy", "f:protocol", "f:revisionHistoryLimit", "f:maxSurge"] {
                #expect(creatorFields.contains(defaulted), "\(defaulted) is the creator's")
            }
        }
    }

    /// Re-applying the same configuration over the defaulted object changes nothing, and an applier that drops a
    /// field it set gets the default back.
    @Test func reapplyingIsANoOpAndADroppedFieldIsDefaultedAgain() async throws {
        try await withServer { server, http in
            var object = Fixture.deployment("web")
            object.set(["spec", "revisionHistoryLimit"], 3)
            _ = try await http.apply(Fixture.deployments + "/web", object)
            // The controller's status writes move the resourceVersion; read it once they are done.
            #expect(await server.waitForRollout(namespace: "default", name: "web"))
            let before = try await http.get(Fixture.deployments + "/web")
            let again = try await http.apply(Fixture.deployments + "/web", object)
            #expect(again.json.value(at: ["metadata", "resourceVersion"]) == before.json.value(at: ["metadata", "resourceVersion"]))
            object.set(["spec", "revisionHistoryLimit"], nil)
            let dropped = try await http.apply(Fixture.deployments + "/web", object)
            #expect(dropped.json.value(at: ["spec", "revisionHistoryLimit"]) == 10)
        }
    }

    @Test func aLoadBalancerServiceAllocatesNodePortsByDefault() async throws {
        try await withServer { _, http in
            var object = Fixture.service("web")
            object.set(["spec", "type"], "LoadBalancer")
            let reply = try await http.post(Fixture.services, object)
            // SetDefaults_Service (pkg/apis/core/v1/defaults.go).
            #expect(reply.json.value(at: ["spec", "allocateLoadBalancerNodePorts"]) == true)
            #expect(reply.json.value(at: ["spec", "externalTrafficPolicy"]) == "Cluster")
            let plain = try await http.post(Fixture.services, Fixture.service("plain"))
            #expect(plain.json.value(at: ["spec", "allocateLoadBalancerNodePorts"]) == nil)
            #expect(plain.json.value(at: ["spec", "ports"]) == [["port": 8080, "targetPort": 8080, "protocol": "TCP"]])
        }
    }

    /// encoding/json never omits a struct: a template's ObjectMeta shows its zero `creationTimestamp` as null
    /// (staging/src/k8s.io/apimachinery/pkg/apis/meta/v1/time.go MarshalJSON) and an unset status is `{}`, as
    /// `kubectl get -o json` shows on a v1.32 cluster. No manager owns the null, and sending the object back
    /// changes nothing.
    @Test func templatesShowANullCreationTimestampAndStatusIsAnEmptyObject() async throws {
        try await withServer { _, http in
            let cronJob = try await http.post(Fixture.cronJobs + "?fieldManager=kubectl-create", Fixture.cronJob("nightly"))
            #expect(cronJob.json["status"] == .object([:]))
            #expect(cronJob.json.value(at: ["spec", "jobTemplate", "metadata"]) == ["creationTimestamp": .null])
            #expect(cronJob.json.value(at: ["spec", "jobTemplate", "spec", "template", "metadata"]) == ["creationTimestamp": .null])
            let owned = cronJob.json.value(at: ["metadata", "managedFields"])?.array?.first?["fieldsV1"]?.text() ?? ""
            #expect(!owned.contains("creationTimestamp"))
            let deployment = try await http.apply(Fixture.deployments + "/web", Fixture.deployment("web"))
            #expect(deployment.json.value(at: ["spec", "template", "metadata", "creationTimestamp"]) == .null)
            let read = try await http.get(Fixture.cronJobs + "/nightly")
            let put = try await http.put(Fixture.cronJobs + "/nightly", read.json)
            #expect(put.status == 200)
            #expect(put.json.value(at: ["metadata", "resourceVersion"]) == read.json.value(at: ["metadata", "resourceVersion"]))
        }
    }
}
