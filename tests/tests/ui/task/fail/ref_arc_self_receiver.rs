// `self: &Arc<Self>` borrows the `Arc`: refused at the receiver, with a help showing `self: Arc<Self>`.
use std::sync::Arc;

struct Service;

impl Service {
    #[cosched::task]
    async fn serve(self: &Arc<Self>, request: String) -> usize {
        request.len()
    }
}

fn main() {
    let service = Arc::new(Service);
    let _ = service.serve(String::new());
}
