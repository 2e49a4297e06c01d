//! AWS Signature Version 4 for the SSM requests, by `aws-sigv4` (not the
//! SDK). Credentials come from `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`
//! and `AWS_SESSION_TOKEN` only (no profiles, no instance roles: plain
//! signing reads the environment), the region from `AWS_REGION` or
//! `AWS_DEFAULT_REGION`. The secret key only ever goes into the signer.

use std::time::SystemTime;

use aws_credential_types::Credentials;
use aws_sigv4::http_request::{SignableBody, SignableRequest, SigningSettings, sign};
use aws_sigv4::sign::v4;

use super::SourceError;

/// What signs a request.
pub struct Signer {
    credentials: Credentials,
    pub region: String,
    service: String,
}

impl std::fmt::Debug for Signer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Signer").field("region", &self.region).finish_non_exhaustive()
    }
}

impl Signer {
    pub fn new(
        access_key: &str,
        secret_key: &str,
        token: Option<String>,
        region: &str,
        service: &str,
    ) -> Self {
        Self {
            credentials: Credentials::new(access_key, secret_key, token, None, "environment"),
            region: region.to_owned(),
            service: service.to_owned(),
        }
    }

    /// From the usual variables; the error names what is missing.
    pub fn from_env(
        env: &dyn Fn(&str) -> Option<String>,
        service: &str,
    ) -> Result<Self, SourceError> {
        let var = |name: &str| env(name).filter(|v| !v.trim().is_empty());
        let (Some(key), Some(secret)) = (var("AWS_ACCESS_KEY_ID"), var("AWS_SECRET_ACCESS_KEY"))
        else {
            return Err(SourceError::new(
                "no AWS credentials: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY \
                 (envlens reads the environment only, not profiles)",
            ));
        };
        let Some(region) = var("AWS_REGION").or_else(|| var("AWS_DEFAULT_REGION")) else {
            return Err(SourceError::new("no AWS region: set AWS_REGION"));
        };
        Ok(Self::new(&key, &secret, var("AWS_SESSION_TOKEN"), &region, service))
    }

    /// The headers to add to a request (`authorization`, `x-amz-date`,
    /// `x-amz-security-token`) signed at `time`.
    pub fn headers(
        &self,
        method: &str,
        url: &str,
        headers: &[(&str, &str)],
        body: &[u8],
        time: SystemTime,
    ) -> Result<Vec<(String, String)>, SourceError> {
        let failed = |_| SourceError::new("cannot sign the request");
        let identity = self.credentials.clone().into();
        let params = v4::SigningParams::builder()
            .identity(&identity)
            .region(&self.region)
            .name(&self.service)
            .time(time)
            .settings(SigningSettings::default())
            .build()
            .map_err(|_| SourceError::new("cannot sign the request"))?
            .into();
        let request =
            SignableRequest::new(method, url, headers.iter().copied(), SignableBody::Bytes(body))
                .map_err(failed)?;
        let (instructions, _) = sign(request, &params).map_err(failed)?.into_parts();
        Ok(instructions.headers().map(|(n, v)| (n.to_owned(), v.to_owned())).collect())
    }
}

#[cfg(test)]
mod tests {
    use std::time::{Duration, UNIX_EPOCH};

    use super::Signer;

    /// AWS's published SigV4 test suite, case `get-vanilla`: credentials
    /// AKIDEXAMPLE, region us-east-1, service `service`, 2015-08-30T12:36:00Z.
    #[test]
    fn signs_the_published_get_vanilla_case() {
        let signer = Signer::new(
            "AKIDEXAMPLE",
            "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
            None,
            "us-east-1",
            "service",
        );
        let time = UNIX_EPOCH + Duration::from_secs(1_440_938_160);
        let headers = signer
            .headers(
                "GET",
                "https://example.amazonaws.com/",
                &[("host", "example.amazonaws.com")],
                b"",
                time,
            )
            .unwrap();
        let auth = headers.iter().find(|(n, _)| n == "authorization").map(|(_, v)| v.as_str());
        assert_eq!(
            auth,
            Some(
                "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, \
                 SignedHeaders=host;x-amz-date, \
                 Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"
            )
        );
        let date = headers.iter().find(|(n, _)| n == "x-amz-date").map(|(_, v)| v.as_str());
        assert_eq!(date, Some("20150830T123600Z"));
    }

    /// `post-vanilla` of the same suite: a POST with an empty body.
    #[test]
    fn signs_the_published_post_vanilla_case() {
        let signer = Signer::new(
            "AKIDEXAMPLE",
            "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
            None,
            "us-east-1",
            "service",
        );
        let time = UNIX_EPOCH + Duration::from_secs(1_440_938_160);
        let headers = signer
            .headers(
                "POST",
                "https://example.amazonaws.com/",
                &[("host", "example.amazonaws.com")],
                b"",
                time,
            )
            .unwrap();
        let auth =
            headers.iter().find(|(n, _)| n == "authorization").map(|(_, v)| v.clone()).unwrap();
        assert!(
            auth.ends_with(
                "Signature=5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b"
            ),
            "{auth}"
        );
    }

    #[test]
    fn a_missing_key_is_named_not_shown() {
        let env =
            |name: &str| (name == "AWS_SECRET_ACCESS_KEY").then(|| "fake-secret-1234".to_owned());
        let err = Signer::from_env(&env, "ssm").unwrap_err();
        assert!(err.message.contains("AWS_ACCESS_KEY_ID"));
        assert!(!err.message.contains("fake-secret-1234"));
    }
}
