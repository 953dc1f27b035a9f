//! The deployment files say what the README promises: the Kubernetes manifests parse and
//! carry a StatefulSet with a persistent data volume, native gRPC probes, resource requests
//! and limits, keys and TLS from Secrets mounted read-only, a Service, and metrics scraping;
//! every FOLLOWSCORE_* variable they set is a real setting; the Dockerfile runs as non-root
//! with a data volume and a gRPC health check. (No kubectl or kubeconform installs from
//! this project's registries, so the check is our own, on the parsed YAML.)

use std::path::Path;

use serde_yaml::Value;

fn manifests() -> Vec<Value> {
    manifests_in("deploy/kubernetes")
}

fn manifests_in(folder: &str) -> Vec<Value> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join(folder);
    let mut docs = Vec::new();
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    files.sort();
    assert!(!files.is_empty());
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        for doc in serde_yaml::Deserializer::from_str(&text) {
            let value = Value::deserialize(doc)
                .unwrap_or_else(|e| panic!("{} does not parse: {e}", file.display()));
            for field in ["apiVersion", "kind"] {
                assert!(value[field].is_string(), "{}: no {field}", file.display());
            }
            assert!(value["metadata"]["name"].is_string(), "{}", file.display());
            docs.push(value);
        }
    }
    docs
}

use serde::Deserialize as _;

fn of_kind<'a>(docs: &'a [Value], kind: &str) -> Vec<&'a Value> {
    docs.iter().filter(|d| d["kind"] == kind).collect()
}

fn str_of(value: &Value) -> &str {
    value.as_str().unwrap_or_default()
}

/// Every variable a container sets is in the README's settings table.
fn every_variable_is_a_documented_setting(container: &Value) {
    let readme =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap();
    for e in container["env"].as_sequence().unwrap() {
        let name = str_of(&e["name"]);
        assert!(
            readme.contains(&format!("`{name}`")),
            "{name} is not in the README's settings table"
        );
    }
}

/// The value a container's environment gives `name`.
fn env_of(container: &Value, name: &str) -> String {
    container["env"]
        .as_sequence()
        .unwrap()
        .iter()
        .find(|e| e["name"] == name)
        .map(|e| str_of(&e["value"]).to_owned())
        .unwrap_or_else(|| panic!("no {name}"))
}

#[test]
fn the_kubernetes_manifests_carry_what_a_secure_deployment_needs() {
    let docs = manifests();
    let sets = of_kind(&docs, "StatefulSet");
    assert_eq!(sets.len(), 1);
    let set = sets[0];
    let pod = &set["spec"]["template"];
    let labels = &pod["metadata"]["labels"];
    let container = &pod["spec"]["containers"][0];

    // Data on a persistent volume.
    let claim = &set["spec"]["volumeClaimTemplates"][0];
    assert!(claim["spec"]["resources"]["requests"]["storage"].is_string());
    let mounts = container["volumeMounts"].as_sequence().unwrap();
    let mount = |name: &str| {
        mounts
            .iter()
            .find(|m| m["name"] == name)
            .unwrap_or_else(|| panic!("no mount {name}"))
    };
    assert_eq!(
        str_of(&mount(str_of(&claim["metadata"]["name"]))["mountPath"]),
        "/data"
    );

    let env = |name: &str| env_of(container, name);
    assert_eq!(env("FOLLOWSCORE_DATA_DIR"), "/data");

    // Keys and TLS from Secrets, read-only, where the server is told to read them.
    let volumes = pod["spec"]["volumes"].as_sequence().unwrap();
    for (volume, variable) in [
        ("keys", "FOLLOWSCORE_KEYS_FILE"),
        ("tls", "FOLLOWSCORE_TLS_CERT"),
        ("tls", "FOLLOWSCORE_TLS_KEY"),
        ("client-ca", "FOLLOWSCORE_TLS_CLIENT_CA"),
    ] {
        let source = volumes.iter().find(|v| v["name"] == volume).unwrap();
        assert!(
            source["secret"]["secretName"].is_string(),
            "{volume} is a Secret"
        );
        let m = mount(volume);
        assert_eq!(m["readOnly"], Value::Bool(true), "{volume} is read-only");
        assert!(
            env(variable).starts_with(str_of(&m["mountPath"])),
            "{variable}"
        );
    }
    let secrets = of_kind(&docs, "Secret");
    assert!(
        secrets
            .iter()
            .any(|s| s["stringData"]["keys.toml"].is_string()),
        "an example keys Secret"
    );

    // Native gRPC probes on the plaintext health port the server is told to open.
    let port_of = |name: &str| {
        container["ports"]
            .as_sequence()
            .unwrap()
            .iter()
            .find(|p| p["name"] == name)
            .and_then(|p| p["containerPort"].as_u64())
            .unwrap_or_else(|| panic!("no port {name}"))
    };
    let health_port = port_of("health");
    assert!(env("FOLLOWSCORE_HEALTH_LISTEN").ends_with(&format!(":{health_port}")));
    for probe in ["livenessProbe", "readinessProbe"] {
        assert_eq!(
            container[probe]["grpc"]["port"].as_u64(),
            Some(health_port),
            "{probe} is a native gRPC probe"
        );
    }

    // Requests and limits, both CPU and memory.
    for side in ["requests", "limits"] {
        for resource in ["cpu", "memory"] {
            assert!(
                !container["resources"][side][resource].is_null(),
                "{side}.{resource}"
            );
        }
    }
    // Not root, no privilege escalation, read-only root.
    assert_eq!(
        pod["spec"]["securityContext"]["runAsNonRoot"],
        Value::Bool(true)
    );
    assert_eq!(
        container["securityContext"]["allowPrivilegeEscalation"],
        Value::Bool(false)
    );
    assert_eq!(
        container["securityContext"]["readOnlyRootFilesystem"],
        Value::Bool(true)
    );
    // The drain fits in the pod's termination grace period.
    let grace: u64 = env("FOLLOWSCORE_SHUTDOWN_GRACE_SECS").parse().unwrap();
    assert!(
        pod["spec"]["terminationGracePeriodSeconds"]
            .as_u64()
            .unwrap()
            > grace
    );

    // A Service selecting the pods on the gRPC port.
    let services = of_kind(&docs, "Service");
    let grpc_service = services
        .iter()
        .find(|s| {
            s["spec"]["ports"]
                .as_sequence()
                .is_some_and(|ports| ports.iter().any(|p| p["name"] == "grpc"))
        })
        .expect("a gRPC Service");
    for (key, value) in grpc_service["spec"]["selector"].as_mapping().unwrap() {
        assert_eq!(&labels[key], value, "the Service selects the pods");
    }

    // Metrics: the admin port the server opens, scraped by annotation and ServiceMonitor.
    let admin_port = port_of("admin");
    assert!(env("FOLLOWSCORE_ADMIN_LISTEN").ends_with(&format!(":{admin_port}")));
    let annotations = &pod["metadata"]["annotations"];
    assert_eq!(str_of(&annotations["prometheus.io/scrape"]), "true");
    assert_eq!(
        str_of(&annotations["prometheus.io/port"]),
        admin_port.to_string()
    );
    assert_eq!(str_of(&annotations["prometheus.io/path"]), "/metrics");
    let monitors = of_kind(&docs, "ServiceMonitor");
    assert_eq!(
        str_of(&monitors[0]["spec"]["endpoints"][0]["path"]),
        "/metrics"
    );

    // Every variable set is a documented setting.
    every_variable_is_a_documented_setting(container);
}

#[test]
fn the_redis_cluster_variant_runs_several_replicas_without_volumes() {
    let docs = manifests_in("deploy/kubernetes/redis-cluster");
    let deployments = of_kind(&docs, "Deployment");
    assert_eq!(deployments.len(), 1);
    let deployment = deployments[0];
    assert!(deployment["spec"]["replicas"].as_u64().unwrap() >= 2);
    assert!(deployment["spec"]["volumeClaimTemplates"].is_null());
    let pod = &deployment["spec"]["template"];
    let container = &pod["spec"]["containers"][0];
    // No data volume: only Secrets are mounted, and the store is the cluster.
    for volume in pod["spec"]["volumes"].as_sequence().unwrap() {
        assert!(volume["secret"].is_mapping(), "{volume:?} is a Secret");
    }
    let env = |name: &str| env_of(container, name);
    assert_eq!(env("FOLLOWSCORE_STORE"), "redis-cluster");
    for node in env("FOLLOWSCORE_REDIS_NODES").split(',') {
        let (host, port) = node.rsplit_once(':').expect("host:port");
        assert!(!host.is_empty() && port.parse::<u16>().is_ok(), "{node}");
    }
    assert!(
        env("FOLLOWSCORE_REDIS_MIN_REPLICAS")
            .parse::<u32>()
            .unwrap()
            >= 1
    );
    assert!(
        container["env"]
            .as_sequence()
            .unwrap()
            .iter()
            .all(|e| e["name"] != "FOLLOWSCORE_DATA_DIR"),
        "no data directory"
    );
    for probe in ["livenessProbe", "readinessProbe"] {
        assert!(container[probe]["grpc"]["port"].is_u64(), "{probe}");
    }
    // Drains leave a replica serving.
    let budgets = of_kind(&docs, "PodDisruptionBudget");
    assert_eq!(budgets[0]["spec"]["minAvailable"].as_u64(), Some(1));
    let labels = &pod["metadata"]["labels"];
    for (key, value) in budgets[0]["spec"]["selector"]["matchLabels"]
        .as_mapping()
        .unwrap()
    {
        assert_eq!(&labels[key], value, "the budget selects the pods");
    }
    every_variable_is_a_documented_setting(container);
}

#[test]
fn the_dockerfile_builds_in_stages_and_runs_as_non_root_with_a_volume_and_a_health_check() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    for file in ["Dockerfile", "deploy/container/Containerfile.offline"] {
        let text = std::fs::read_to_string(root.join(file)).unwrap();
        let lines: Vec<&str> = text.lines().map(str::trim).collect();
        let user = lines
            .iter()
            .rev()
            .find_map(|l| l.strip_prefix("USER "))
            .unwrap_or_else(|| panic!("{file}: no USER"));
        assert!(
            !user.starts_with("root") && !user.starts_with('0'),
            "{file}: {user}"
        );
        assert!(
            lines
                .iter()
                .any(|l| l.starts_with("VOLUME") && l.contains("/data"))
        );
        assert!(
            text.contains("HEALTHCHECK") && text.contains("\"health\""),
            "{file}: health checked through `followscore health`"
        );
        assert!(text.contains("FOLLOWSCORE_KEYS_FILE=/etc/followscore/keys/keys.toml"));
    }
    let dockerfile = std::fs::read_to_string(root.join("Dockerfile")).unwrap();
    let stages = dockerfile
        .lines()
        .filter(|l| l.starts_with("FROM "))
        .count();
    assert!(stages >= 2, "multi-stage");
    assert!(
        dockerfile.contains("rust:1.95.0-slim-bookworm"),
        "the builder is pinned to an exact release"
    );
}
