//! Pasted PEM, checked the way containerd will read it: PEM armour → base64 → DER, every block.
//!
//! containerd hands a CA file to Go's `x509.CertPool.AppendCertsFromPEM`, which keeps only blocks labelled
//! exactly `CERTIFICATE`, without header lines, whose DER `x509.ParseCertificate` accepts, and silently skips
//! the rest. A damaged certificate therefore does not fail at install time: every pull fails later with
//! "x509: certificate signed by unknown authority". So each block is checked here and the finding is said at
//! the field, in the words the user needs ("was it cut off when copied?", "this is a private key").
//!
//! No ASN.1 crate: the wasm of the web app is already large and only the outline of a certificate is needed —
//! a strict DER walk of the TLVs down to the fields of tbsCertificate, exact lengths, nothing trailing (Go's
//! parser refuses trailing data even where openssl accepts it). What it does not do: check the signature,
//! the algorithm identifiers, names or extensions beyond basicConstraints, or the validity dates against
//! today (the core has no clock; wasm has none to ask).

use crate::base64::{self, Form};
use crate::zh::zh;
use crate::diagnostics::{Message, Severity};

/// A part of a certificate, named in messages about a damaged one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    Outline,
    Version,
    Serial,
    SignatureAlgorithm,
    Issuer,
    Validity,
    Subject,
    PublicKey,
    Extensions,
    Signature,
}

impl Part {
    fn names(self) -> (&'static str, &'static str) {
        match self {
            Part::Outline => ("outline (certificate, signature algorithm, signature)", zh!("整体结构（证书主体、签名算法、签名）")),
            Part::Version => ("version", zh!("版本号")),
            Part::Serial => ("serial number", zh!("序列号")),
            Part::SignatureAlgorithm => ("signature algorithm", zh!("签名算法")),
            Part::Issuer => ("issuer", zh!("颁发者")),
            Part::Validity => ("validity dates", zh!("有效期")),
            Part::Subject => ("subject", zh!("主体")),
            Part::PublicKey => ("public key", zh!("公钥")),
            Part::Extensions => ("extensions", zh!("扩展")),
            Part::Signature => ("signature", zh!("签名")),
        }
    }
}

/// One thing found in pasted PEM text. `n` counts the certificate blocks from 1, in the order pasted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Finding {
    /// No `-----BEGIN …-----` line at all.
    NotPem,
    /// Bare base64 of a certificate, without the BEGIN/END lines.
    MissingArmour,
    /// Binary bytes read as text (a DER `.cer`, a PKCS#12 bundle loaded from a file).
    Binary,
    /// A private key: a `… PRIVATE KEY` block (PKCS#8, encrypted, RSA, EC, OpenSSH, …), a PuTTY key file, or
    /// key DER under another label. `label` is the block's label (`CERTIFICATE` when a key hides under it),
    /// `PuTTY` for a PuTTY key file, empty for bare base64.
    PrivateKey { label: String },
    /// A certificate signing request (`label` is `CERTIFICATE` when one hides under that label).
    Csr { label: String },
    /// OpenSSL's `TRUSTED CERTIFICATE` (certificate + trust settings), which Go does not read.
    TrustedCertificate,
    /// A block of some other kind (PUBLIC KEY, X509 CRL, PKCS7, …).
    OtherBlock { label: String },
    /// A BEGIN line without its END line.
    Unterminated { label: String },
    /// BEGIN/END lines not at the start of their line: Go looks for them only there.
    Indented,
    /// `Key: value` header lines inside a certificate block: Go skips such blocks.
    Headers { n: usize },
    /// Nothing between BEGIN and END.
    Empty { n: usize },
    /// Between BEGIN and END is text that is not base64 at all (a placeholder, a note).
    NotBase64 { n: usize },
    /// base64 letters, but not a whole number of base64 groups or misplaced padding: characters lost or added.
    Base64 { n: usize },
    /// The DER says `declared` bytes, only `present` are there.
    Truncated { n: usize, declared: usize, present: usize },
    /// Bytes after the end of the certificate.
    Trailing { n: usize, extra: usize },
    /// The DER is complete but a part is not what X.509 puts there.
    Malformed { n: usize, part: Part },
    /// basicConstraints says this is not a CA (a server's own certificate, pinned).
    NotCa { n: usize },
}

impl Finding {
    pub fn severity(&self) -> Severity {
        match self {
            Finding::NotCa { .. } => Severity::Warning,
            _ => Severity::Error,
        }
    }

    /// The diagnostic code and message for this finding in a CA certificate field.
    pub fn describe(&self) -> (&'static str, Message) {
        let cut = ("Was it cut off when copied? Copy the whole file again.", zh!("是否复制时被截断了？请重新复制整个文件。"));
        match self {
            Finding::NotPem => (
                "H5-ca-not-pem",
                Message::new(
                    "Paste the CA certificate in PEM form: from -----BEGIN CERTIFICATE----- to -----END CERTIFICATE-----.",
                    zh!("请粘贴 PEM 格式的 CA 证书：从 -----BEGIN CERTIFICATE----- 到 -----END CERTIFICATE-----。"),
                ),
            ),
            Finding::MissingArmour => (
                "H5-ca-no-armour",
                Message::new(
                    "This is a certificate without its PEM lines: add -----BEGIN CERTIFICATE----- before it and -----END CERTIFICATE----- after it (containerd reads only PEM).",
                    zh!("这是缺少 PEM 首尾行的证书：请在前面加上 -----BEGIN CERTIFICATE-----，在后面加上 -----END CERTIFICATE-----（containerd 只读取 PEM）。"),
                ),
            ),
            Finding::Binary => (
                "H5-ca-binary",
                Message::new(
                    "This is a binary file (DER or PKCS#12), not PEM text; containerd reads only PEM. Convert a DER certificate with openssl x509 -inform der -in ca.cer -out ca.crt and load ca.crt.",
                    zh!("这是二进制文件（DER 或 PKCS#12），不是 PEM 文本；containerd 只读取 PEM。请用 openssl x509 -inform der -in ca.cer -out ca.crt 转换 DER 证书，然后加载 ca.crt。"),
                ),
            ),
            Finding::PrivateKey { label } => {
                let (en, zh) = what_was_pasted(label);
                (
                "H5-ca-private-key",
                Message::new(
                    format!("This is a private key ({en}), not a certificate. A private key must never be shipped to nodes or shared: remove it, paste only the CA certificate, and treat the key as leaked."),
                    zh!("这是私钥（{zh}），不是证书。私钥绝不能分发到节点或分享出去：请删除它，只粘贴 CA 证书，并视该私钥为已泄露。"),
                ),
            )
            }
            Finding::Csr { label } => {
                let (en, zh) = what_was_pasted(label);
                (
                    "H5-ca-csr",
                    Message::new(
                        format!("This is a certificate signing request ({en}), not a CA certificate: a CSR is what you send to a CA to get a certificate. Paste the CA's certificate (the one that signed the registry's certificate)."),
                        zh!("这是证书签名请求（{zh}），不是 CA 证书：CSR 是发给 CA 用来申请证书的。请粘贴 CA 的证书（即签发仓库证书的那张）。"),
                    ),
                )
            }
            Finding::TrustedCertificate => (
                "H5-ca-trusted-certificate",
                Message::new(
                    "A BEGIN TRUSTED CERTIFICATE block is OpenSSL's own format, which containerd (Go) skips. Convert it: openssl x509 -in ca.pem -out ca.crt, and paste the result.",
                    zh!("BEGIN TRUSTED CERTIFICATE 是 OpenSSL 专有格式，containerd（Go）会跳过它。请转换：openssl x509 -in ca.pem -out ca.crt，再粘贴结果。"),
                ),
            ),
            Finding::OtherBlock { label } => (
                "H5-ca-not-certificate",
                Message::new(
                    format!("A \"{label}\" block is not a certificate; containerd reads only CERTIFICATE blocks. Remove it and paste the CA certificate."),
                    zh!("\"{label}\" 块不是证书；containerd 只读取 CERTIFICATE 块。请删除它并粘贴 CA 证书。"),
                ),
            ),
            Finding::Unterminated { label } => (
                "H5-ca-truncated",
                Message::new(
                    format!("-----BEGIN {label}----- has no matching -----END {label}----- line. {}", cut.0),
                    zh!("-----BEGIN {label}----- 没有对应的 -----END {label}----- 行。{}", cut.1),
                ),
            ),
            Finding::Indented => (
                "H5-ca-indented",
                Message::new(
                    "The BEGIN/END lines are indented: containerd (Go) finds them only at the start of a line, so it would read no certificate. Remove the leading spaces.",
                    zh!("BEGIN/END 行带有缩进：containerd（Go）只识别位于行首的这两行，因此读不到任何证书。请删除行首空格。"),
                ),
            ),
            Finding::Headers { n } => (
                "H5-ca-headers",
                Message::new(
                    format!("Certificate {n} has \"Key: value\" header lines after BEGIN; containerd (Go) skips such blocks. Remove those lines."),
                    zh!("第 {n} 张证书在 BEGIN 之后带有 \"<键>: <值>\" 头部行；containerd（Go）会跳过这样的块。请删除这些行。"),
                ),
            ),
            Finding::Empty { n } => (
                "H5-ca-not-pem",
                Message::new(
                    format!("Certificate {n} is empty: paste the certificate text between its BEGIN and END lines."),
                    zh!("第 {n} 张证书是空的：请在 BEGIN 与 END 行之间粘贴证书内容。"),
                ),
            ),
            Finding::NotBase64 { n } => (
                "H5-ca-not-pem",
                Message::new(
                    format!("Between the BEGIN and END lines of certificate {n} there is no certificate yet, only text that is not base64. Paste the CA certificate there."),
                    zh!("第 {n} 张证书的 BEGIN 与 END 行之间还没有证书，只有非 base64 文本。请在此粘贴 CA 证书。"),
                ),
            ),
            Finding::Base64 { n } => (
                "H5-ca-base64",
                Message::new(
                    format!("The base64 text of certificate {n} is damaged (characters missing or added). {}", cut.0),
                    zh!("第 {n} 张证书的 base64 文本已损坏（缺少或多出字符）。{}", cut.1),
                ),
            ),
            Finding::Truncated { n, declared, present } => (
                "H5-ca-truncated",
                Message::new(
                    format!("Certificate {n} is truncated: it says it is {declared} bytes long, but only {present} are there. {}", cut.0),
                    zh!("第 {n} 张证书不完整：它声明长度为 {declared} 字节，实际只有 {present} 字节。{}", cut.1),
                ),
            ),
            Finding::Trailing { n, extra } => (
                "H5-ca-trailing-bytes",
                Message::new(
                    format!("Certificate {n} has {extra} extra byte(s) after its end; containerd (Go) refuses it, even where openssl reads it. Copy the certificate again from its source."),
                    zh!("第 {n} 张证书末尾多出 {extra} 个字节；即使 openssl 能读取，containerd（Go）也会拒绝它。请从来源重新复制该证书。"),
                ),
            ),
            Finding::Malformed { n, part } => {
                let (en, zh) = part.names();
                (
                    "H5-ca-malformed",
                    Message::new(
                        format!("Certificate {n} is not a valid X.509 certificate: its {en} is damaged or missing, so containerd would skip it. Copy it again from its source."),
                        zh!("第 {n} 张证书不是有效的 X.509 证书：其{zh}已损坏或缺失，containerd 会跳过它。请从来源重新复制。"),
                    ),
                )
            }
            Finding::NotCa { n } => (
                "H5-ca-not-a-ca",
                Message::new(
                    format!("Certificate {n} is not a CA certificate (basicConstraints CA:FALSE): it is trusted only as that exact server certificate, so pulls fail once the registry renews it. Prefer the CA that signed it."),
                    zh!("第 {n} 张证书不是 CA 证书（basicConstraints CA:FALSE）：它只会被当作那一张服务器证书来信任，仓库续期证书后拉取就会失败。建议改用签发它的 CA 证书。"),
                ),
            ),
        }
    }
}

/// How the text presented a key or CSR, for the message.
fn what_was_pasted(label: &str) -> (String, String) {
    match label {
        "" => ("base64 without PEM lines".into(), zh!("不带 PEM 首尾行的 base64").into()),
        "PuTTY" => ("a PuTTY key file".into(), zh!("PuTTY 密钥文件").into()),
        "CERTIFICATE" => ("labelled BEGIN CERTIFICATE, but that is not what it holds".into(), zh!("标为 BEGIN CERTIFICATE，但内容并非证书").into()),
        l => (format!("BEGIN {l}"), format!("BEGIN {l}")),
    }
}

/// What one CERTIFICATE block holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum DerKind {
    Certificate { ca: Option<bool> },
    PrivateKey,
    Csr,
    Truncated { declared: usize, present: usize },
    Trailing { extra: usize },
    Malformed(Part),
}

/// Checks pasted CA text; an empty result means every block is a certificate containerd will load.
/// The text is checked as it is shipped: trimmed, like `plan` writes it.
pub fn check_ca_text(text: &str) -> Vec<Finding> {
    let text = text.trim();
    let mut out: Vec<Finding> = Vec::new();
    let blocks = split_blocks(text, &mut out);
    let mut n = 0;
    for b in &blocks {
        let label = b.label.as_str();
        if label.contains("PRIVATE KEY") {
            out.push(Finding::PrivateKey { label: label.to_string() });
        } else if label == "CERTIFICATE REQUEST" || label == "NEW CERTIFICATE REQUEST" {
            out.push(Finding::Csr { label: label.to_string() });
        } else if label == "TRUSTED CERTIFICATE" {
            out.push(Finding::TrustedCertificate);
        } else if label == "CERTIFICATE" {
            n += 1;
            if !b.complete {
                continue; // reported as Unterminated by split_blocks
            }
            if b.headers {
                out.push(Finding::Headers { n });
                continue;
            }
            let der = match decode_body(&b.body) {
                Ok(d) => d,
                Err(f) => {
                    out.push(f(n));
                    continue;
                }
            };
            match classify(&der) {
                DerKind::Certificate { ca } => {
                    if ca == Some(false) {
                        out.push(Finding::NotCa { n });
                    }
                }
                DerKind::PrivateKey => out.push(Finding::PrivateKey { label: label.to_string() }),
                DerKind::Csr => out.push(Finding::Csr { label: label.to_string() }),
                DerKind::Truncated { declared, present } => out.push(Finding::Truncated { n, declared, present }),
                DerKind::Trailing { extra } => out.push(Finding::Trailing { n, extra }),
                DerKind::Malformed(part) => out.push(Finding::Malformed { n, part }),
            }
        } else {
            out.push(Finding::OtherBlock { label: label.to_string() });
        }
    }
    if blocks.is_empty() && !out.contains(&Finding::Indented) {
        // No armour at all: maybe bare base64 (a .cer converted by hand, a key copied from a secret store).
        match decode_body(text).ok().map(|d| classify(&d)) {
            Some(DerKind::Certificate { .. }) => out.push(Finding::MissingArmour),
            Some(DerKind::PrivateKey) => out.push(Finding::PrivateKey { label: String::new() }),
            // A browser reading binary as text turns invalid UTF-8 into U+FFFD.
            _ if text.chars().any(|c| c == '\u{fffd}' || (c.is_control() && !matches!(c, '\t' | '\r' | '\n'))) => {
                out.push(Finding::Binary)
            }
            _ => out.push(Finding::NotPem),
        }
    }
    // Anything that calls itself a private key is refused even when its armour is too broken to parse — the
    // same broad test by which exports strip keys (`secrets::holds_private_key`), so that nothing an export
    // would silently drop passes validation. Spelled out here rather than called, so that secrets.rs may in
    // turn call this module for the keys only DER reveals.
    let upper = text.to_ascii_uppercase();
    let putty = upper.contains("PUTTY-USER-KEY-FILE");
    if (putty || upper.contains("PRIVATE KEY")) && !out.iter().any(|f| matches!(f, Finding::PrivateKey { .. })) {
        let label = if putty { "PuTTY" } else { "PRIVATE KEY" };
        out.push(Finding::PrivateKey { label: label.into() });
    }
    // The key first: it is the finding that matters most, and the one a reader must not miss.
    // A partition, not a sort (one more copy of the standard library's sort in the wasm).
    let (mut keys, rest): (Vec<Finding>, Vec<Finding>) = out.into_iter().partition(|f| matches!(f, Finding::PrivateKey { .. }));
    keys.extend(rest);
    keys
}

/// Whether pasted text holds a private key in any of the forms [`check_ca_text`] recognises.
pub fn holds_private_key(text: &str) -> bool {
    check_ca_text(text).iter().any(|f| matches!(f, Finding::PrivateKey { .. }))
}

struct Block {
    label: String,
    headers: bool,
    body: String,
    complete: bool,
}

/// Splits text into PEM blocks the way Go's `pem.Decode` finds them: BEGIN and END lines at the start of a
/// line, trailing spaces ignored, `Key: value` lines right after BEGIN are headers, text outside blocks is
/// skipped (openssl writes "subject=…" lines and `-text` dumps there). Indented BEGIN/END lines are reported
/// and otherwise read as if they were not indented, so a key among them is still recognised.
fn split_blocks(text: &str, out: &mut Vec<Finding>) -> Vec<Block> {
    let mut blocks: Vec<Block> = Vec::new();
    let mut cur: Option<Block> = None;
    let mut indented = false;
    for raw in text.split('\n') {
        let line = raw.trim_end_matches(['\r', ' ', '\t']);
        let bare = line.trim_start_matches([' ', '\t']);
        let armour = |prefix: &str| bare.strip_prefix(prefix).and_then(|r| r.strip_suffix("-----")).map(str::to_string);
        if let Some(label) = armour("-----BEGIN ") {
            indented |= bare.len() != line.len();
            if let Some(b) = cur.take() {
                out.push(Finding::Unterminated { label: b.label.clone() });
                blocks.push(b);
            }
            cur = Some(Block { label, headers: false, body: String::new(), complete: false });
        } else if let Some(label) = armour("-----END ") {
            indented |= bare.len() != line.len();
            if let Some(mut b) = cur.take() {
                if b.label == label {
                    b.complete = true;
                } else {
                    out.push(Finding::Unterminated { label: b.label.clone() });
                }
                blocks.push(b);
            }
        } else if let Some(b) = cur.as_mut() {
            if b.body.is_empty() && line.contains(':') {
                b.headers = true;
            } else {
                b.body.push_str(line);
                b.body.push('\n');
            }
        }
    }
    if let Some(b) = cur {
        out.push(Finding::Unterminated { label: b.label.clone() });
        blocks.push(b);
    }
    if indented {
        out.push(Finding::Indented);
    }
    blocks
}

/// base64 as Go's PEM decoder reads it: spaces, tabs and line breaks ignored.
fn decode_body(body: &str) -> Result<Vec<u8>, fn(usize) -> Finding> {
    let compact: String = body.chars().filter(|c| !matches!(c, ' ' | '\t' | '\r' | '\n')).collect();
    if compact.is_empty() {
        return Err(|n| Finding::Empty { n });
    }
    if !compact.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'+' || b == b'/' || b == b'=') {
        return Err(|n| Finding::NotBase64 { n });
    }
    // Go's `base64.StdEncoding`: padding required, non-zero trailing bits tolerated.
    base64::decode(compact.as_bytes(), Form::Standard, true).map_err(|_| (|n| Finding::Base64 { n }) as fn(usize) -> Finding)
}

/// A DER TLV reader over one slice. Strict DER: definite, minimal lengths; single-byte tags.
struct Der<'a> {
    data: &'a [u8],
    pos: usize,
}

enum TlvError {
    /// The element's length runs past the end of the slice: `needed` bytes from its start, `have` there.
    Overrun { needed: usize, have: usize },
    /// Not DER (indefinite or non-minimal length, multi-byte tag, missing length bytes).
    Invalid,
}

impl<'a> Der<'a> {
    fn new(data: &'a [u8]) -> Self {
        Der { data, pos: 0 }
    }
    fn is_empty(&self) -> bool {
        self.pos >= self.data.len()
    }
    fn peek_tag(&self) -> Option<u8> {
        self.data.get(self.pos).copied()
    }
    fn read(&mut self) -> Result<(u8, &'a [u8]), TlvError> {
        let start = self.pos;
        let d = self.data;
        let tag = *d.get(start).ok_or(TlvError::Overrun { needed: 2, have: 0 })?;
        if tag & 0x1f == 0x1f {
            return Err(TlvError::Invalid);
        }
        let first = *d.get(start + 1).ok_or(TlvError::Overrun { needed: 2, have: d.len() - start })?;
        let (len, hdr) = if first < 0x80 {
            (first as usize, 2)
        } else {
            let k = (first & 0x7f) as usize;
            if k == 0 || k > 4 {
                return Err(TlvError::Invalid); // indefinite (BER) or absurd
            }
            let bytes = d.get(start + 2..start + 2 + k).ok_or(TlvError::Overrun { needed: 2 + k, have: d.len() - start })?;
            let len = bytes.iter().fold(0usize, |a, b| (a << 8) | *b as usize);
            if bytes[0] == 0 || len < 0x80 {
                return Err(TlvError::Invalid); // not the minimal encoding DER requires
            }
            (len, 2 + k)
        };
        let end = start + hdr + len;
        if end > d.len() {
            return Err(TlvError::Overrun { needed: hdr + len, have: d.len() - start });
        }
        self.pos = end;
        Ok((tag, &d[start + hdr..end]))
    }
    /// Reads an element that must have `tag`.
    fn expect(&mut self, tag: u8, part: Part) -> Result<&'a [u8], Part> {
        match self.read() {
            Ok((t, v)) if t == tag => Ok(v),
            _ => Err(part),
        }
    }
}

const SEQUENCE: u8 = 0x30;
const INTEGER: u8 = 0x02;
const BIT_STRING: u8 = 0x03;
const OCTET_STRING: u8 = 0x04;
const OID: u8 = 0x06;
const BOOLEAN: u8 = 0x01;
const UTC_TIME: u8 = 0x17;
const GENERALIZED_TIME: u8 = 0x18;
const BASIC_CONSTRAINTS: &[u8] = &[0x55, 0x1d, 0x13]; // 2.5.29.19

fn classify(der: &[u8]) -> DerKind {
    let mut top = Der::new(der);
    let content = match top.read() {
        Ok((SEQUENCE, v)) => v,
        Ok(_) | Err(TlvError::Invalid) => return DerKind::Malformed(Part::Outline),
        Err(TlvError::Overrun { needed, have }) => {
            // A key cut short is still a key: look at what is there before calling it a truncated certificate.
            if der.first() == Some(&SEQUENCE) && looks_like_key(der) {
                return DerKind::PrivateKey;
            }
            return DerKind::Truncated { declared: needed, present: have };
        }
    };
    if looks_like_key_content(content) {
        return DerKind::PrivateKey;
    }
    let kind = match certificate(content) {
        Ok(ca) => DerKind::Certificate { ca },
        Err(_) if is_csr(content) => DerKind::Csr,
        Err(part) => DerKind::Malformed(part),
    };
    match kind {
        DerKind::Certificate { .. } if !top.is_empty() => DerKind::Trailing { extra: der.len() - top.pos },
        k => k,
    }
}

/// The start of a (possibly truncated) outer SEQUENCE, for key detection only.
fn looks_like_key(der: &[u8]) -> bool {
    let hdr = match der.get(1) {
        Some(&b) if b < 0x80 => 2,
        Some(&b) => 2 + (b & 0x7f) as usize,
        None => return false,
    };
    der.get(hdr..).is_some_and(looks_like_key_content)
}

/// PKCS#8 PrivateKeyInfo / OneAsymmetricKey (INTEGER 0|1, SEQUENCE, OCTET STRING), PKCS#1 RSAPrivateKey and
/// DSA keys (INTEGER 0, INTEGER …), SEC1 ECPrivateKey (INTEGER 1, OCTET STRING), and PKCS#8
/// EncryptedPrivateKeyInfo (SEQUENCE, OCTET STRING). No certificate, CSR or CRL starts like these: theirs
/// begin with a SEQUENCE followed by another SEQUENCE.
fn looks_like_key_content(c: &[u8]) -> bool {
    let mut r = Der::new(c);
    match r.read() {
        Ok((INTEGER, v)) => v.len() == 1 && v[0] <= 1 && matches!(r.peek_tag(), Some(SEQUENCE | INTEGER | OCTET_STRING)),
        Ok((SEQUENCE, _)) => r.peek_tag() == Some(OCTET_STRING),
        _ => false,
    }
}

/// Certificate ::= SEQUENCE { tbsCertificate, signatureAlgorithm, signatureValue } (RFC 5280 §4.1), given the
/// content of the outer SEQUENCE. Returns basicConstraints' cA when the extension is there.
fn certificate(c: &[u8]) -> Result<Option<bool>, Part> {
    let mut r = Der::new(c);
    let tbs = r.expect(SEQUENCE, Part::Outline)?;
    let alg = r.expect(SEQUENCE, Part::SignatureAlgorithm)?;
    Der::new(alg).expect(OID, Part::SignatureAlgorithm)?;
    let sig = r.expect(BIT_STRING, Part::Signature)?;
    if sig.is_empty() || sig[0] > 7 || !r.is_empty() {
        return Err(if r.is_empty() { Part::Signature } else { Part::Outline });
    }

    let mut t = Der::new(tbs);
    if t.peek_tag() == Some(0xa0) {
        let v = t.expect(0xa0, Part::Version)?;
        let mut vr = Der::new(v);
        let n = vr.expect(INTEGER, Part::Version)?;
        if n.len() != 1 || n[0] > 2 || !vr.is_empty() {
            return Err(Part::Version);
        }
    }
    let serial = t.expect(INTEGER, Part::Serial)?;
    if serial.is_empty() {
        return Err(Part::Serial);
    }
    t.expect(SEQUENCE, Part::SignatureAlgorithm)?;
    t.expect(SEQUENCE, Part::Issuer)?;
    let validity = t.expect(SEQUENCE, Part::Validity)?;
    let mut v = Der::new(validity);
    for _ in 0..2 {
        match v.read() {
            Ok((tag @ (UTC_TIME | GENERALIZED_TIME), time)) if is_der_time(tag, time) => {}
            _ => return Err(Part::Validity),
        }
    }
    if !v.is_empty() {
        return Err(Part::Validity);
    }
    t.expect(SEQUENCE, Part::Subject)?;
    let spki = t.expect(SEQUENCE, Part::PublicKey)?;
    let mut s = Der::new(spki);
    s.expect(SEQUENCE, Part::PublicKey)?;
    s.expect(BIT_STRING, Part::PublicKey)?;
    if !s.is_empty() {
        return Err(Part::PublicKey);
    }
    let mut ca = None;
    // issuerUniqueID [1], subjectUniqueID [2] (primitive or constructed), extensions [3], in that order.
    let mut last = 0u8;
    while !t.is_empty() {
        let (tag, val) = t.read().map_err(|_| Part::Extensions)?;
        let number = tag & 0x1f;
        if tag & 0xc0 != 0x80 || !(1..=3).contains(&number) || number <= last {
            return Err(Part::Extensions);
        }
        last = number;
        if number == 3 {
            if tag != 0xa3 {
                return Err(Part::Extensions);
            }
            ca = extensions(val)?;
        }
    }
    Ok(ca)
}

/// Extensions ::= SEQUENCE OF Extension { extnID OID, critical BOOLEAN DEFAULT FALSE, extnValue OCTET STRING }.
fn extensions(explicit: &[u8]) -> Result<Option<bool>, Part> {
    let mut outer = Der::new(explicit);
    let list = outer.expect(SEQUENCE, Part::Extensions)?;
    if !outer.is_empty() {
        return Err(Part::Extensions);
    }
    let mut l = Der::new(list);
    let mut ca = None;
    while !l.is_empty() {
        let ext = l.expect(SEQUENCE, Part::Extensions)?;
        let mut e = Der::new(ext);
        let id = e.expect(OID, Part::Extensions)?;
        if e.peek_tag() == Some(BOOLEAN) {
            e.expect(BOOLEAN, Part::Extensions)?;
        }
        let value = e.expect(OCTET_STRING, Part::Extensions)?;
        if !e.is_empty() {
            return Err(Part::Extensions);
        }
        if id == BASIC_CONSTRAINTS {
            // BasicConstraints ::= SEQUENCE { cA BOOLEAN DEFAULT FALSE, pathLenConstraint INTEGER OPTIONAL }
            let mut b = Der::new(value);
            let bc = b.expect(SEQUENCE, Part::Extensions)?;
            let mut bcr = Der::new(bc);
            let is_ca = bcr.peek_tag() == Some(BOOLEAN) && bcr.expect(BOOLEAN, Part::Extensions)?.first().is_some_and(|&x| x != 0);
            ca = Some(is_ca);
        }
    }
    Ok(ca)
}

/// UTCTime YYMMDDHHMMSSZ or GeneralizedTime YYYYMMDDHHMMSSZ, the only forms RFC 5280 allows (and Go reads).
fn is_der_time(tag: u8, v: &[u8]) -> bool {
    let digits = if tag == UTC_TIME { 12 } else { 14 };
    v.len() == digits + 1 && v[digits] == b'Z' && v[..digits].iter().all(u8::is_ascii_digit)
}

/// CertificationRequest ::= SEQUENCE { certificationRequestInfo SEQUENCE { version INTEGER 0, subject Name,
/// subjectPKInfo, attributes [0] }, signatureAlgorithm, signature BIT STRING } (RFC 2986).
fn is_csr(c: &[u8]) -> bool {
    let mut r = Der::new(c);
    let Ok(info) = r.expect(SEQUENCE, Part::Outline) else { return false };
    let mut i = Der::new(info);
    matches!(i.expect(INTEGER, Part::Version), Ok([0]))
        && i.expect(SEQUENCE, Part::Subject).is_ok()
        && i.expect(SEQUENCE, Part::PublicKey).is_ok()
        && i.expect(0xa0, Part::Extensions).is_ok()
        && i.is_empty()
}

#[cfg(test)]
mod tests {
    use super::*;

    macro_rules! fixture {
        ($name:literal) => {
            include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/pem/", $name))
        };
    }

    fn only(text: &str) -> Finding {
        let f = check_ca_text(text);
        assert_eq!(f.len(), 1, "{f:?}");
        f.into_iter().next().unwrap()
    }

    #[test]
    fn real_certificates_pass() {
        for text in [
            fixture!("ca.crt"),
            fixture!("ca2.crt"),
            fixture!("rsa-ca.crt"),
            fixture!("v1.crt"),
            fixture!("registry-internal.crt"),
            fixture!("registry-corp.crt"),
            fixture!("f06.crt"),
            fixture!("cli-test.crt"),
            fixture!("bench.crt"),
        ] {
            assert_eq!(check_ca_text(text), vec![], "{text}");
        }
    }

    #[test]
    fn a_chain_of_two_passes() {
        assert_eq!(check_ca_text(fixture!("chain.crt")), vec![]);
        assert_eq!(fixture!("chain.crt").matches("BEGIN CERTIFICATE").count(), 2);
    }

    #[test]
    fn text_around_blocks_as_openssl_writes_it_passes() {
        assert_eq!(check_ca_text(fixture!("with-text.crt")), vec![]);
        assert_eq!(check_ca_text(fixture!("with-subject-line.crt")), vec![]);
        // CRLF line endings (a file saved on Windows) and trailing spaces: Go reads them.
        let crlf = fixture!("ca.crt").replace('\n', " \r\n");
        assert_eq!(check_ca_text(&crlf), vec![]);
    }

    #[test]
    fn not_pem_at_all() {
        assert_eq!(only("hello"), Finding::NotPem);
        assert_eq!(only(""), Finding::NotPem);
        assert_eq!(only("/etc/ssl/certs/ca.crt"), Finding::NotPem);
    }

    #[test]
    fn a_binary_der_file_read_as_text() {
        let der = base64::decode(fixture!("ca.crt").lines().filter(|l| !l.starts_with("-----")).collect::<String>().as_bytes(), Form::Standard, true).unwrap();
        assert_eq!(only(&String::from_utf8_lossy(&der)), Finding::Binary);
    }

    #[test]
    fn bare_base64_of_a_certificate_needs_its_armour() {
        let body: String = fixture!("ca.crt").lines().filter(|l| !l.starts_with("-----")).collect::<Vec<_>>().join("\n");
        assert_eq!(only(&body), Finding::MissingArmour);
        let key: String = fixture!("pkcs8.key").lines().filter(|l| !l.starts_with("-----")).collect();
        assert_eq!(only(&key), Finding::PrivateKey { label: String::new() });
    }

    #[test]
    fn truncated_by_one_line() {
        assert!(matches!(only(fixture!("truncated-line.crt")), Finding::Truncated { n: 1, .. }));
    }

    #[test]
    fn truncated_by_one_byte_says_how_much() {
        let Finding::Truncated { n: 1, declared, present } = only(fixture!("truncated-byte.crt")) else { panic!() };
        assert_eq!(declared, present + 1);
    }

    #[test]
    fn missing_end_line_is_truncated() {
        let text = fixture!("ca.crt").replace("-----END CERTIFICATE-----", "");
        assert_eq!(only(&text), Finding::Unterminated { label: "CERTIFICATE".into() });
        assert_eq!(only(&text).describe().0, "H5-ca-truncated");
    }

    #[test]
    fn a_base64_character_missing() {
        assert_eq!(only(fixture!("base64-char-missing.crt")), Finding::Base64 { n: 1 });
    }

    #[test]
    fn placeholder_text_is_not_base64() {
        let p = "-----BEGIN CERTIFICATE-----\n(paste your registry's CA certificate here)\n-----END CERTIFICATE-----";
        assert_eq!(only(p), Finding::NotBase64 { n: 1 });
        assert_eq!(only("-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----"), Finding::Empty { n: 1 });
    }

    #[test]
    fn flipped_length_bytes() {
        // The outer length one larger than the data: it claims bytes that are not there.
        let Finding::Truncated { n: 1, declared, present } = only(fixture!("flipped-outer-length.crt")) else { panic!() };
        assert_eq!(declared, present + 1);
        // tbsCertificate two bytes longer: it swallows the start of the signature algorithm.
        assert_eq!(only(fixture!("flipped-tbs-length.crt")), Finding::Malformed { n: 1, part: Part::SignatureAlgorithm });
        // The outer length one smaller: the signature no longer fits inside it.
        let mut der = base64::decode(fixture!("ca.crt").lines().filter(|l| !l.starts_with("-----")).collect::<String>().as_bytes(), Form::Standard, true).unwrap();
        der[3] -= 1;
        assert_eq!(classify(&der), DerKind::Malformed(Part::Signature));
    }

    #[test]
    fn trailing_bytes_refused_though_openssl_reads_them() {
        assert_eq!(only(fixture!("trailing-bytes.crt")), Finding::Trailing { n: 1, extra: 2 });
    }

    #[test]
    fn every_private_key_form_is_refused() {
        for (text, label) in [
            (fixture!("pkcs8.key"), "PRIVATE KEY"),
            (fixture!("rsa.key"), "RSA PRIVATE KEY"),
            (fixture!("ec.key"), "EC PRIVATE KEY"),
            (fixture!("encrypted.key"), "ENCRYPTED PRIVATE KEY"),
            (fixture!("openssh.key"), "OPENSSH PRIVATE KEY"),
        ] {
            assert_eq!(only(text), Finding::PrivateKey { label: label.into() });
            assert!(holds_private_key(text));
            assert_eq!(only(text).severity(), Severity::Error);
        }
        // A key under a CERTIFICATE label, and a key pasted after a good certificate (first in the list).
        assert_eq!(only(fixture!("key-as-certificate.crt")), Finding::PrivateKey { label: "CERTIFICATE".into() });
        let both = format!("{}{}", fixture!("ca.crt"), fixture!("ec.key"));
        assert!(matches!(check_ca_text(&both)[0], Finding::PrivateKey { .. }));
        assert!(holds_private_key(&both));
        // Armour too broken to parse still counts, and so does a PuTTY key file.
        assert!(holds_private_key("-----BEGIN PRIVATE KEY-----\nMIGH"));
        assert!(holds_private_key("PuTTY-User-Key-File-3: ssh-ed25519\nEncryption: none\n"));
        // Whatever an export strips as a key, validation refuses too.
        let noted = format!("{}private key: see vault", fixture!("ca.crt"));
        assert!(crate::secrets::holds_private_key(&noted) && holds_private_key(&noted));
        assert!(!holds_private_key(fixture!("chain.crt")));
        assert!(!holds_private_key(fixture!("with-text.crt")));
    }

    #[test]
    fn a_truncated_key_is_still_a_key() {
        let der = base64::decode(fixture!("key-as-certificate.crt").lines().filter(|l| !l.starts_with("-----")).collect::<String>().as_bytes(), Form::Standard, true).unwrap();
        assert_eq!(classify(&der[..der.len() - 10]), DerKind::PrivateKey);
    }

    #[test]
    fn csr_is_refused() {
        assert_eq!(only(fixture!("csr.pem")), Finding::Csr { label: "CERTIFICATE REQUEST".into() });
        let new = fixture!("csr.pem").replace("CERTIFICATE REQUEST", "NEW CERTIFICATE REQUEST");
        assert_eq!(only(&new), Finding::Csr { label: "NEW CERTIFICATE REQUEST".into() });
        assert_eq!(only(fixture!("csr-as-certificate.crt")), Finding::Csr { label: "CERTIFICATE".into() });
    }

    #[test]
    fn other_blocks_are_named() {
        assert_eq!(only(fixture!("trusted.crt")), Finding::TrustedCertificate);
        let pubkey = "-----BEGIN PUBLIC KEY-----\nMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE\n-----END PUBLIC KEY-----\n";
        assert_eq!(only(pubkey), Finding::OtherBlock { label: "PUBLIC KEY".into() });
    }

    #[test]
    fn header_lines_and_indentation_go_cannot_read() {
        let h = fixture!("ca.crt").replacen("-----\n", "-----\nProc-Type: 4,ENCRYPTED\n\n", 1);
        assert_eq!(only(&h), Finding::Headers { n: 1 });
        let indented: String = fixture!("ca.crt").lines().map(|l| format!("    {l}\n")).collect();
        assert_eq!(only(&indented), Finding::Indented);
        // Indentation of the whole paste is trimmed away at its start only, as the shipped file is trimmed.
        let lead = format!("   {}", fixture!("ca.crt"));
        assert_eq!(check_ca_text(&lead), vec![]);
    }

    #[test]
    fn the_second_certificate_is_numbered() {
        let text = format!("{}{}", fixture!("ca.crt"), fixture!("truncated-byte.crt"));
        assert!(matches!(only(&text), Finding::Truncated { n: 2, .. }));
    }

    #[test]
    fn not_a_ca_is_a_warning() {
        let f = only(fixture!("leaf-not-ca.crt"));
        assert_eq!(f, Finding::NotCa { n: 1 });
        assert_eq!(f.severity(), Severity::Warning);
    }

    #[test]
    fn der_strictness() {
        // Indefinite length (BER) and non-minimal lengths are not DER; Go's parser refuses them.
        assert_eq!(classify(&[0x30, 0x80, 0, 0]), DerKind::Malformed(Part::Outline));
        assert_eq!(classify(&[0x30, 0x81, 0x05, 1, 2, 3, 4, 5]), DerKind::Malformed(Part::Outline));
        assert_eq!(classify(&[0x30]), DerKind::Truncated { declared: 2, present: 1 });
        assert_eq!(classify(&[0x04, 0x00]), DerKind::Malformed(Part::Outline));
    }

    #[test]
    fn every_finding_has_both_languages_and_a_code() {
        let all = [
            Finding::NotPem,
            Finding::MissingArmour,
            Finding::Binary,
            Finding::PrivateKey { label: "x".into() },
            Finding::Csr { label: "x".into() },
            Finding::TrustedCertificate,
            Finding::OtherBlock { label: "x".into() },
            Finding::Unterminated { label: "x".into() },
            Finding::Indented,
            Finding::Headers { n: 1 },
            Finding::Empty { n: 1 },
            Finding::NotBase64 { n: 1 },
            Finding::Base64 { n: 1 },
            Finding::Truncated { n: 1, declared: 2, present: 1 },
            Finding::Trailing { n: 1, extra: 1 },
            Finding::Malformed { n: 1, part: Part::Validity },
            Finding::NotCa { n: 1 },
        ];
        for f in all {
            let (code, m) = f.describe();
            assert!(code.starts_with("H5-ca-"), "{code}");
            assert!(!m.en.is_empty() && !m.zh.is_empty() && m.en != m.zh, "{f:?}");
        }
    }
}
