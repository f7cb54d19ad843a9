// The request builders' traits are sealed: a type of the caller's cannot
// pose as a request builder.
use generated_client::{RequestOptionValues, RequestOptions};

struct MyRequest(RequestOptionValues);

impl RequestOptions for MyRequest {
    fn request_options(&mut self) -> &mut RequestOptionValues {
        &mut self.0
    }
}

fn main() {}
