//! Trait impls that every generated type of one kind shares, written once
//! here as macros the generated code invokes once per type (and per
//! request builder). They only
//! forward to the inherent methods the generated code defines (`as_str`,
//! `From<&str>`, `new`), so the generated files keep what differs from type
//! to type and nothing else. The macros take names and simple paths
//! (`types::Notebook`) only: prettyplease prints the arguments of a macro
//! call as loose tokens, so a generic type there would read badly
//! (`Vec < types::X >`), and the generator names such a type first.

/// `Display`, `Serialize` and `Deserialize` for a generated string enum,
/// through its `as_str` and its `From<&str>` (which keeps unknown values).
#[allow(unused_macros)] // a spec without string enums does not call it
macro_rules! string_enum_traits {
    ($name:ident) => {
        impl ::core::fmt::Display for $name {
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(
                &self,
                serializer: S,
            ) -> ::core::result::Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(
                deserializer: D,
            ) -> ::core::result::Result<Self, D::Error> {
                let value = <::std::borrow::Cow<'_, str> as ::serde::Deserialize>::deserialize(
                    deserializer,
                )?;
                ::core::result::Result::Ok(<Self as ::core::convert::From<&str>>::from(&value))
            }
        }
    };
}

/// `Deserialize` for a generated struct, through its `Object` impl (see
/// `crate::json` for why not derived): from a JSON object only.
#[allow(unused_macros)] // a spec without structs does not call it
macro_rules! object_deserialize {
    ($name:ident) => {
        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(
                deserializer: D,
            ) -> ::core::result::Result<Self, D::Error> {
                $crate::json::decode_object(deserializer)
            }
        }
    };
}

/// `Validate` for a generated type that a request can carry but that has
/// no rule to break at any depth: it checks nothing.
#[allow(unused_macros)] // a spec whose sent types all have rules does not call it
macro_rules! nothing_to_check {
    ($name:ident) => {
        impl $crate::validate::Validate for $name {
            fn validate(
                &self,
                _at: &$crate::validate::FieldPath<'_>,
                _rules: &$crate::validate::Rules,
            ) -> ::core::result::Result<(), $crate::InvalidInput> {
                ::core::result::Result::Ok(())
            }
        }
    };
}

/// `FromStr`, `TryFrom<&str>`, `TryFrom<String>` (all checking the value
/// through `new`), `AsRef<str>` and `Display` for a generated string
/// newtype.
#[allow(unused_macros)] // a spec without named string types does not call it
macro_rules! checked_string_traits {
    ($name:ident) => {
        impl ::core::str::FromStr for $name {
            type Err = $crate::InvalidInput;
            fn from_str(value: &str) -> ::core::result::Result<Self, Self::Err> {
                Self::new(value)
            }
        }

        impl ::core::convert::TryFrom<&str> for $name {
            type Error = $crate::InvalidInput;
            fn try_from(value: &str) -> ::core::result::Result<Self, Self::Error> {
                Self::new(value)
            }
        }

        impl ::core::convert::TryFrom<::std::string::String> for $name {
            type Error = $crate::InvalidInput;
            fn try_from(value: ::std::string::String) -> ::core::result::Result<Self, Self::Error> {
                Self::new(value)
            }
        }

        impl ::core::convert::AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                self.as_str()
            }
        }

        impl ::core::fmt::Display for $name {
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

/// `send`, `IntoFuture`, `GlobalParameters` and `RequestOptions` for a generated request
/// builder `$name`, whose field `globals` and method `into_request` (which
/// hands back the builder's own client with the request) the generated code
/// defines. `$output` is the decoded 2xx body, `()` when the operation
/// documents none (the body is then read and dropped); `by_status Enum`
/// for an operation whose 2xx responses have different bodies.
#[allow(unused_macros)] // a build without resources does not call it
macro_rules! request_traits {
    ($name:ident, ()) => {
        $crate::impls::request_traits!(@impl $name, (), send_ignoring_body);
    };
    // An operation whose 2xx responses have different bodies: `$output`
    // is its enum, decoded by status.
    ($name:ident, by_status $output:ident) => {
        $crate::impls::request_traits!(@impl $name, $output, send_by_status);
    };
    ($name:ident, $output:ty) => {
        $crate::impls::request_traits!(@impl $name, $output, send);
    };
    (@impl $name:ident, $output:ty, $send:ident) => {
        impl $name {
            /// Checks the arguments against the spec's constraints (unless the
            /// client was built with `validate_requests(false)`), sends the
            /// request and decodes the response. Awaiting the builder does
            /// the same.
            ///
            /// The future owns everything it needs (it is `Send + 'static`),
            /// so it can be given to `tokio::spawn`.
            ///
            /// # Errors
            ///
            /// [`Error::InvalidInput`](crate::Error::InvalidInput) naming the
            /// field when an argument breaks a constraint (nothing is sent),
            /// [`Error::Api`](crate::Error::Api) for any non-2xx status,
            /// [`Error::Transport`](crate::Error::Transport) when the server
            /// cannot be reached, [`Error::Decode`](crate::Error::Decode) when
            /// the body is not the documented type.
            pub fn send(self) -> $crate::ResponseFuture<$output> {
                match self.into_request() {
                    ::core::result::Result::Ok((client, request)) => client.$send(request),
                    ::core::result::Result::Err(error) => $crate::ResponseFuture::failed(error),
                }
            }
        }

        impl ::core::future::IntoFuture for $name {
            type Output = ::core::result::Result<$output, $crate::Error>;
            type IntoFuture = $crate::ResponseFuture<$output>;

            fn into_future(self) -> Self::IntoFuture {
                self.send()
            }
        }

        $crate::impls::builder_options!($name);
    };
}

/// `GlobalParameters` and `RequestOptions` for a request builder `$name`
/// whose field `globals` holds their values: what `request_traits!` and
/// `stream_traits!` share.
#[allow(unused_macros)] // a build without resources does not call it
macro_rules! builder_options {
    ($name:ident) => {
        impl $crate::GlobalParameters for $name {
            fn global_parameters(&mut self) -> &mut $crate::GlobalParameterValues {
                &mut self.globals
            }
        }

        impl $crate::options::sealed::Sealed for $name {}

        impl $crate::RequestOptions for $name {
            fn request_options(&mut self) -> &mut $crate::RequestOptionValues {
                &mut self.globals.options
            }
        }
    };
}

/// `send`, `IntoFuture`, `GlobalParameters` and `RequestOptions` for the
/// request builder `$name` of a server-sent event stream whose events are
/// the generated enum `$event`. Besides `globals` and `into_request`, the
/// builder has the fields `reconnect` and `last_event_id`.
#[allow(unused_macros)] // a spec without streams does not call it
macro_rules! stream_traits {
    ($name:ident, $event:ident) => {
        impl $name {
            /// Checks the arguments against the spec's constraints (unless
            /// the client was built with `validate_requests(false)`) and
            /// opens the stream: the future resolves once the server has
            /// answered 2xx, to the [`EventStream`](crate::EventStream) of
            /// its events. Awaiting the builder does the same.
            ///
            /// The future and the stream own everything they need (they
            /// are `Send + 'static`), so they can be given to
            /// `tokio::spawn`.
            ///
            /// # Errors
            ///
            /// [`Error::InvalidInput`](crate::Error::InvalidInput) naming the
            /// field when an argument breaks a constraint (nothing is sent),
            /// [`Error::Api`](crate::Error::Api) for any non-2xx status,
            /// [`Error::Transport`](crate::Error::Transport) when the server
            /// cannot be reached,
            /// [`Error::StreamOpenTimeout`](crate::Error::StreamOpenTimeout)
            /// when it does not answer within the request's timeout. Once
            /// open, the stream's own failures are its items.
            pub fn send(self) -> $crate::ResponseFuture<$crate::EventStream<$event>> {
                let reconnect = self.reconnect;
                let last_event_id = ::core::clone::Clone::clone(&self.last_event_id);
                match self.into_request() {
                    ::core::result::Result::Ok((client, request)) => {
                        $crate::EventStream::open(client, request, reconnect, last_event_id)
                    }
                    ::core::result::Result::Err(error) => $crate::ResponseFuture::failed(error),
                }
            }
        }

        impl ::core::future::IntoFuture for $name {
            type Output = ::core::result::Result<$crate::EventStream<$event>, $crate::Error>;
            type IntoFuture = $crate::ResponseFuture<$crate::EventStream<$event>>;

            fn into_future(self) -> Self::IntoFuture {
                self.send()
            }
        }

        $crate::impls::builder_options!($name);
    };
}

// Which of these a spec needs depends on the spec; none of them may warn.
#[allow(unused_imports)]
pub(crate) use {
    builder_options, checked_string_traits, nothing_to_check, object_deserialize, request_traits,
    stream_traits, string_enum_traits,
};
