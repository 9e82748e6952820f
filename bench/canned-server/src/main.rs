//! `canned-server [PORT]`: answers every request on 127.0.0.1 with status 200 and
//! `{"token":"t","expirationTime":"2026-11-28T05:15:00Z"}`, without reading the request
//! beyond what HTTP/1.1 needs. Prints `canned-server listening on http://127.0.0.1:PORT`
//! once it accepts connections. The floor for the server side: the benchmarks measure
//! the client, and a cheap server keeps the two from competing for the CPU.

use std::convert::Infallible;

use bytes::Bytes;
use http_body_util::Full;
use hyper::body::Incoming;
use hyper::{Request, Response};
use hyper_util::rt::TokioIo;

const BODY: &[u8] = br#"{"token":"t","expirationTime":"2026-11-28T05:15:00Z"}"#;

async fn answer(_request: Request<Incoming>) -> Result<Response<Full<Bytes>>, Infallible> {
    let response = Response::builder()
        .status(200)
        .header("content-type", "application/x-amz-json-1.1")
        .header("x-amzn-requestid", "00000000-0000-0000-0000-000000000000")
        .body(Full::new(Bytes::from_static(BODY)))
        .expect("static response");
    Ok(response)
}

fn main() {
    let port: u16 = match std::env::args().nth(1) {
        Some(p) => p.parse().expect("usage: canned-server [PORT]"),
        None => 0,
    };
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("tokio runtime");
    rt.block_on(async move {
        let listener = tokio::net::TcpListener::bind(("127.0.0.1", port))
            .await
            .expect("bind 127.0.0.1");
        let addr = listener.local_addr().expect("local address");
        println!("canned-server listening on http://{addr}");
        loop {
            let Ok((stream, _)) = listener.accept().await else {
                continue;
            };
            // Small responses are written at once: no Nagle delay on the client's side.
            let _ = stream.set_nodelay(true);
            tokio::spawn(async move {
                let service = hyper::service::service_fn(answer);
                let _ = hyper::server::conn::http1::Builder::new()
                    .serve_connection(TokioIo::new(stream), service)
                    .await;
            });
        }
    });
}
