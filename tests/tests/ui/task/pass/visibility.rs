// Any visibility is kept: `pub`, `pub(crate)`, `pub(super)`, `pub(in path)` and private tasks are callable where visible.
mod outer {
    pub mod inner {
        #[cosched::task]
        pub async fn public() -> u8 {
            1
        }

        #[cosched::task]
        pub(crate) async fn krate() -> u8 {
            2
        }

        #[cosched::task]
        pub(super) async fn parent() -> u8 {
            3
        }

        #[cosched::task]
        pub(in crate::outer) async fn path() -> u8 {
            4
        }

        #[cosched::task]
        async fn private() -> u8 {
            5
        }

        pub async fn call_private() -> u8 {
            private().await
        }
    }

    pub async fn call_restricted() -> u8 {
        inner::parent().await + inner::path().await
    }
}

fn main() {
    cosched::run(async {
        assert_eq!(outer::inner::public().spawn().await, Ok(1));
        assert_eq!(outer::inner::krate().await, 2);
        assert_eq!(outer::call_restricted().await, 7);
        assert_eq!(outer::inner::call_private().await, 5);
    });
}
