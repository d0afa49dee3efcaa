//! An echo server and its clients, on the backend's own TCP types: the
//! one line that differs between backends is the `use` of them. The server
//! serves each connection as a member of a `TaskGroup` scope; the clients
//! are tasks that `try_gather` collects. Bounded: it serves as many
//! connections as it starts clients (100, or the first argument), on
//! 127.0.0.1, then exits.
//!
//! ```text
//! cargo run --example echo [-- CONNECTIONS]
//! cargo run --example echo --no-default-features --features smol
//! cargo run --example echo --no-default-features --features tokio
//! ```

use std::io;
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

#[cfg(feature = "async-std")]
use async_std::{
    io::{ReadExt, WriteExt},
    net::{TcpListener, TcpStream},
};
#[cfg(feature = "smol")]
use smol::{
    io::{AsyncReadExt, AsyncWriteExt},
    net::{TcpListener, TcpStream},
};
#[cfg(feature = "tokio")]
use tokio::{
    io::{AsyncReadExt, AsyncWriteExt},
    net::{TcpListener, TcpStream},
};

/// Echoes what `stream` sends until it closes; counts the bytes.
#[cosched::task]
async fn serve(mut stream: TcpStream, echoed: Arc<AtomicUsize>) -> io::Result<()> {
    let mut buffer = [0; 1024];
    loop {
        let read = stream.read(&mut buffer).await?;
        if read == 0 {
            return Ok(());
        }
        stream.write_all(&buffer[..read]).await?;
        echoed.fetch_add(read, Ordering::Relaxed);
    }
}

/// Sends one line to `server` and reads it back.
#[cosched::task]
async fn client(server: SocketAddr, n: usize) -> io::Result<String> {
    let mut stream = TcpStream::connect(server).await?;
    let line = format!("hello {n:>5}\n");
    stream.write_all(line.as_bytes()).await?;
    let mut echo = vec![0; line.len()];
    stream.read_exact(&mut echo).await?;
    String::from_utf8(echo).map_err(|error| io::Error::new(io::ErrorKind::InvalidData, error))
}

#[cosched::main]
async fn main() -> io::Result<()> {
    let connections: usize = match std::env::args().nth(1) {
        Some(n) => n
            .parse()
            .map_err(|error| io::Error::new(io::ErrorKind::InvalidInput, error))?,
        None => 100,
    };
    let listener = TcpListener::bind("127.0.0.1:0").await?;
    let server = listener.local_addr()?;
    let clients: Vec<_> = (0..connections)
        .map(|n| cosched::create_task(client(server, n)))
        .collect();

    let echoed = Arc::new(AtomicUsize::new(0));
    let counted = Arc::clone(&echoed);
    let served = cosched::TaskGroup::<(), io::Error>::fallible()
        .scope(|group| async move {
            for _ in 0..connections {
                let (stream, _) = listener.accept().await?;
                group.try_create_task(serve(stream, Arc::clone(&counted)));
            }
            Ok::<_, io::Error>(())
        })
        .await;
    match served {
        Ok(Some(accepted)) => accepted?,
        Ok(None) => unreachable!("nothing cancels the scope"),
        Err(error) => return Err(io::Error::other(error.to_string())),
    }

    let lines = cosched::try_gather(clients)
        .await
        .map_err(|error| io::Error::other(error.to_string()))?;
    let mut echoed_right = 0;
    for (n, line) in lines.into_iter().enumerate() {
        if line? == format!("hello {n:>5}\n") {
            echoed_right += 1;
        }
    }
    println!(
        "{} on {}: {echoed_right} of {connections} lines echoed, {} bytes",
        cosched::BACKEND,
        server.ip(),
        echoed.load(Ordering::Relaxed)
    );
    Ok(())
}
