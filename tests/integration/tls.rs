//! TLS and mutual TLS through the real server, with certificates made inside the test
//! (rcgen): a TLS client that trusts the server's CA gets in, a plaintext client does not;
//! with a client CA, only clients presenting a certificate it signed get in.

use std::path::{Path, PathBuf};

use followscore::config::TlsPaths;
use followscore::grpc::pb;
use followscore::grpc::pb::follow_score_client::FollowScoreClient;
use rcgen::{
    BasicConstraints, CertificateParams, CertifiedIssuer, DnType, ExtendedKeyUsagePurpose, IsCa,
    KeyPair, KeyUsagePurpose,
};
use tonic::transport::{Certificate, Channel, ClientTlsConfig, Identity};

use crate::helpers::*;

pub struct Authority {
    issuer: CertifiedIssuer<'static, KeyPair>,
}

impl Authority {
    pub fn new(name: &str) -> Self {
        let mut params = CertificateParams::new(Vec::<String>::new()).unwrap();
        params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        params.distinguished_name.push(DnType::CommonName, name);
        params.key_usages = vec![
            KeyUsagePurpose::KeyCertSign,
            KeyUsagePurpose::CrlSign,
            KeyUsagePurpose::DigitalSignature,
        ];
        let issuer = CertifiedIssuer::self_signed(params, KeyPair::generate().unwrap()).unwrap();
        Self { issuer }
    }

    pub fn pem(&self) -> String {
        self.issuer.pem()
    }

    /// A certificate and key (PEM) for `names`, for a server or a client.
    pub fn issue(&self, names: &[&str], client: bool) -> (String, String) {
        let names: Vec<String> = names.iter().map(|n| n.to_string()).collect();
        let mut params = CertificateParams::new(names).unwrap();
        params.extended_key_usages = vec![if client {
            ExtendedKeyUsagePurpose::ClientAuth
        } else {
            ExtendedKeyUsagePurpose::ServerAuth
        }];
        let key = KeyPair::generate().unwrap();
        let cert = params.signed_by(&key, &self.issuer).unwrap();
        (cert.pem(), key.serialize_pem())
    }
}

/// The server's CA, certificate and key written to `dir`; the client CA too when given.
pub fn server_files(dir: &Path, server_ca: &Authority, client_ca: Option<&Authority>) -> TlsPaths {
    let (cert, key) = server_ca.issue(&["localhost", "127.0.0.1"], false);
    let write = |name: &str, text: &str| -> PathBuf {
        let path = dir.join(name);
        std::fs::write(&path, text).unwrap();
        path
    };
    TlsPaths {
        cert: write("server.pem", &cert),
        key: write("server.key", &key),
        client_ca: client_ca.map(|ca| write("client-ca.pem", &ca.pem())),
    }
}

pub async fn tls_client(
    addr: std::net::SocketAddr,
    ca: &Authority,
    identity: Option<(String, String)>,
) -> Result<FollowScoreClient<Channel>, tonic::transport::Error> {
    let mut tls = ClientTlsConfig::new()
        .ca_certificate(Certificate::from_pem(ca.pem()))
        .domain_name("localhost");
    if let Some((cert, key)) = identity {
        tls = tls.identity(Identity::from_pem(cert, key));
    }
    let channel = Channel::from_shared(format!("https://{addr}"))
        .unwrap()
        .tls_config(tls)?
        .connect()
        .await?;
    Ok(FollowScoreClient::new(channel))
}

async fn works(client: &mut FollowScoreClient<Channel>) -> bool {
    client
        .get_account(pb::GetAccountRequest {
            account_id: ACCOUNT.into(),
        })
        .await
        .is_err_and(|s| s.code() == tonic::Code::NotFound)
}

#[tokio::test]
async fn a_tls_server_serves_tls_clients_and_refuses_plaintext() {
    let pki = tempfile::tempdir().unwrap();
    let ca = Authority::new("followscore test CA");
    let paths = server_files(pki.path(), &ca, None);
    let app = spawn_app_with(|c| c.tls = Some(paths)).await;

    let mut client = tls_client(app.addr, &ca, None)
        .await
        .expect("TLS handshake");
    assert!(works(&mut client).await);

    // Plaintext HTTP/2 to the TLS port gets no answer the client can use.
    let mut plaintext = app.client.clone();
    let status = plaintext
        .get_account(pb::GetAccountRequest {
            account_id: ACCOUNT.into(),
        })
        .await
        .unwrap_err();
    assert!(
        matches!(
            status.code(),
            tonic::Code::Unavailable | tonic::Code::Unknown
        ),
        "{status:?}"
    );

    // A client that trusts another CA refuses the server.
    let stranger = Authority::new("another CA");
    assert!(tls_client(app.addr, &stranger, None).await.is_err());
}

#[tokio::test]
async fn mutual_tls_requires_a_client_certificate_from_the_client_ca() {
    let pki = tempfile::tempdir().unwrap();
    let server_ca = Authority::new("server CA");
    let client_ca = Authority::new("client CA");
    let paths = server_files(pki.path(), &server_ca, Some(&client_ca));
    let app = spawn_app_with(|c| {
        c.tls = Some(paths);
        c.health_listen = Some(([127, 0, 0, 1], 0).into());
    })
    .await;

    // The kubelet's plaintext gRPC probe reaches health, and only health, on its own port.
    let probe = Channel::from_shared(format!("http://{}", app.health.unwrap()))
        .unwrap()
        .connect()
        .await
        .unwrap();
    let serving = tonic_health::pb::health_client::HealthClient::new(probe.clone())
        .check(tonic_health::pb::HealthCheckRequest::default())
        .await
        .unwrap()
        .into_inner();
    assert_eq!(
        serving.status,
        tonic_health::pb::health_check_response::ServingStatus::Serving as i32
    );
    let status = FollowScoreClient::new(probe)
        .get_account(pb::GetAccountRequest {
            account_id: ACCOUNT.into(),
        })
        .await
        .unwrap_err();
    assert_eq!(status.code(), tonic::Code::Unimplemented, "{status:?}");

    let identity = client_ca.issue(&["crm-sync"], true);
    let mut client = tls_client(app.addr, &server_ca, Some(identity))
        .await
        .expect("handshake with a client certificate");
    assert!(works(&mut client).await);

    // Without a certificate, or with one from another CA, no call gets through. (With TLS
    // 1.3 the server may refuse after the client's side of the handshake is done, so the
    // refusal can come at connect time or at the first call.)
    let other_ca = Authority::new("not the client CA");
    for identity in [None, Some(other_ca.issue(&["intruder"], true))] {
        match tls_client(app.addr, &server_ca, identity).await {
            Err(_) => {}
            Ok(mut client) => assert!(!works(&mut client).await),
        }
    }
}
