use super::*;

#[test]
fn ranges() {
    assert_eq!(parse_range(None, 100), Ok(None));
    assert_eq!(parse_range(Some("bytes=0-"), 100), Ok(Some((0, 100))));
    assert_eq!(parse_range(Some("bytes=10-19"), 100), Ok(Some((10, 10))));
    assert_eq!(parse_range(Some("bytes=-10"), 100), Ok(Some((90, 10))));
    assert_eq!(parse_range(Some("bytes=90-500"), 100), Ok(Some((90, 10))));
    assert_eq!(parse_range(Some("bytes=100-"), 100), Err(Unsatisfiable));
    assert_eq!(parse_range(Some("bytes=5-2"), 100), Err(Unsatisfiable));
    assert_eq!(parse_range(Some("bytes=x-2"), 100), Err(Unsatisfiable));
}

#[test]
fn decoding() {
    assert_eq!(decode("a%20b").as_deref(), Some("a b"));
    assert_eq!(decode("%2e%2E").as_deref(), Some(".."));
    assert_eq!(decode("%zz"), None);
    assert_eq!(decode("%"), None);
    assert_eq!(decode("%ff"), None, "not UTF-8");
    assert_eq!(encode_path("AUDIO/a b&c.wav"), "AUDIO/a%20b%26c.wav");
    assert_eq!(
        parse_form("a=1&b=x+y&c=%2F"),
        vec![("a".into(), "1".into()), ("b".into(), "x y".into()), ("c".into(), "/".into())]
    );
}

#[test]
fn requests_are_read_and_bounded() {
    let raw = b"POST /api/x?y=1 HTTP/1.1\r\nHost: 127.0.0.1:8\r\nContent-Length: 3\r\n\r\nabcGET / HTTP/1.1\r\n\r\n";
    let mut r = std::io::BufReader::new(&raw[..]);
    let req = read_request(&mut r).unwrap();
    assert_eq!((req.method.as_str(), req.path(), req.body.as_slice()), ("POST", "/api/x", &b"abc"[..]));
    assert_eq!(req.get("host"), Some("127.0.0.1:8"));
    assert_eq!(req.param("y").as_deref(), Some("1"));
    let next = read_request(&mut r).unwrap();
    assert_eq!(next.path(), "/");
    assert!(matches!(read_request(&mut r), Err(ReadError::Closed)));

    let huge = format!("GET / HTTP/1.1\r\nX: {}\r\n\r\n", "a".repeat(MAX_HEAD));
    assert!(matches!(read_request(&mut huge.as_bytes()), Err(ReadError::Bad(431, _))));
    let big_body = "POST / HTTP/1.1\r\nContent-Length: 99999999\r\n\r\n";
    assert!(matches!(read_request(&mut big_body.as_bytes()), Err(ReadError::Bad(413, _))));
    assert!(matches!(read_request(&mut &b"GET http://x/ HTTP/1.1\r\n\r\n"[..]), Err(ReadError::Bad(400, _))));
}
