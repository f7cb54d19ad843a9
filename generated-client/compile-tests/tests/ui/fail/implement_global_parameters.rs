// The request builders' traits are sealed: a type of the caller's cannot
// pose as a request builder.
use generated_client::{GlobalParameterValues, GlobalParameters};

struct MyRequest(GlobalParameterValues);

impl GlobalParameters for MyRequest {
    fn global_parameters(&mut self) -> &mut GlobalParameterValues {
        &mut self.0
    }
}

fn main() {}
