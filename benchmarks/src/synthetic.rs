//! Synthetic specs of any number of resources, held in memory.
//!
//! Each resource is shaped like the real Notebook resource: two path
//! components, the same nine operations (query parameters including a
//! required one and an enum, JSON bodies, a multipart upload, a `202`), and
//! responses that reference named schemas of its own: a main object of
//! thirteen properties (IDs, date-times, a pattern, length limits, arrays of
//! two tagged unions), the union kinds, request bodies, an execution log with
//! enums, date-times and maps, and minute counts. Every resource has 22 named
//! schemas; a shared `schemas/common.yaml` holds IDs, templates, file names
//! and the generic bodies, as in `api-spec/`.

use codegen::SourceFile;
use std::fmt::Write as _;

/// The operations of each synthetic resource, as in `resources/notebook.yaml`.
pub const OPERATIONS_PER_RESOURCE: usize = 9;

/// Named schemas defined for each synthetic resource.
pub const SCHEMAS_PER_RESOURCE: usize = 22;

/// A spec of `resources` resources: `api.yaml`, `schemas/common.yaml`, and
/// for each resource `schemas/<name>.yaml` and `resources/<name>.yaml`.
pub fn spec(resources: usize) -> Vec<SourceFile> {
    let mut files = vec![
        SourceFile {
            path: "api.yaml".to_owned(),
            text: API.to_owned(),
        },
        SourceFile {
            path: "schemas/common.yaml".to_owned(),
            text: COMMON_SCHEMAS.to_owned(),
        },
    ];
    for index in 0..resources {
        let name = resource_name(index);
        files.push(SourceFile {
            path: format!("schemas/{name}.yaml"),
            text: resource_schemas(index),
        });
        files.push(SourceFile {
            path: format!("resources/{name}.yaml"),
            text: resource(index),
        });
    }
    files
}

/// The wire name of resource `index` (`widget0007`).
pub fn resource_name(index: usize) -> String {
    format!("widget{index:04}")
}

/// The prefix of the named schemas of resource `index` (`Widget0007`).
fn prefix(index: usize) -> String {
    format!("Widget{index:04}")
}

const API: &str = r#"title: Synthetic Platform API
version: "1"
description: >-
  A synthetic API for benchmarks: many resources shaped like the Notebook
  resource of the real spec.
base_url: https://api.example.test
auth:
  scheme: bearer
  description: The token for authenticating the request, prepended with Bearer
parameters:
  - name: losantdomain
    in: header
    description: Domain scope of the request, rarely needed
    schema: { type: string }
  - name: Accept-Version
    in: header
    description: The API version range the client wants
    example: "^1.30.0"
    schema: { type: string }
  - name: _actions
    in: query
    description: Whether the response carries resource actions
    schema: { type: boolean }
  - name: _links
    in: query
    description: Whether the response carries resource links
    schema: { type: boolean }
"#;

const COMMON_SCHEMAS: &str = r#"ObjectId:
  description: A 24-character hex object ID
  type: string
  pattern: '^[A-Fa-f\d]{24}$'

ApplicationId:
  description: ID of an application
  $ref: ObjectId

ExecutionId:
  description: ID of an execution
  $ref: ObjectId

TemplateString:
  description: 'A `{{template}}` rendered at run time'
  type: string
  minLength: 4
  maxLength: 255
  pattern: '.*{{.+}}.*'

FileName:
  description: 'A file name, either literal or a `{{template}}`'
  oneOf:
    - description: 'A literal file name (not `.` or `..`)'
      type: string
      pattern: '^(?!\.{1,2}$)[0-9a-zA-Z_.-]{1,255}$'
    - $ref: TemplateString

ObjectIdOrTemplate:
  description: 'An object ID, either literal or a `{{template}}`'
  oneOf:
    - $ref: ObjectId
    - $ref: TemplateString

DateObject:
  description: 'A date wrapped in an object, as `{"$date": "..."}`'
  type: object
  properties:
    $date:
      description: The date, as a string
      type: string
  required: [$date]
  additionalProperties: false

RelativeTo:
  description: The time an execution is relative to
  oneOf:
    - description: A date string
      type: string
    - description: Milliseconds since the epoch
      type: number
    - $ref: DateObject

Success:
  description: Body of a successful request that returns no other data
  type: object
  properties:
    success:
      description: Always true
      type: boolean
      enum: [true]

SuccessWithExecutionId:
  description: Body of a successful request that queued an execution
  type: object
  properties:
    success:
      description: Always true
      type: boolean
      enum: [true]
    executionId:
      description: ID of the queued execution
      $ref: ExecutionId

JobEnqueuedResult:
  description: Body of a request that enqueued a background job
  type: object
  properties:
    jobQueued:
      description: Always true; a job was queued
      type: boolean
      enum: [true]
    jobId:
      description: ID of the queued job
      type: string
      maxLength: 21
    success:
      description: Always true
      type: boolean
      enum: [true]

Error:
  description: Body of an error response
  type: object
  properties:
    type:
      description: Kind of error
      type: string
    message:
      description: Human-readable error message
      type: string
"#;

/// `schemas/<name>.yaml` of resource `index`: its 22 named schemas.
fn resource_schemas(index: usize) -> String {
    let p = prefix(index);
    let mut out = String::new();
    // Infallible: writing to a String.
    let _ = write!(
        out,
        r#"{p}Id:
  description: ID of a {p}
  $ref: ObjectId

{p}ImageVersion:
  description: Version of the image a {p} runs with
  type: string
  enum: [v1, v2, v3, v4]

{p}:
  description: A {p} of an application, with its inputs and outputs
  type: object
  properties:
    id:
      description: ID of the {p}
      $ref: {p}Id
    applicationId:
      description: ID of the application it belongs to
      $ref: ApplicationId
    creationDate:
      description: When it was created
      type: string
      format: date-time
    lastUpdated:
      description: When it was last updated
      type: string
      format: date-time
    name:
      description: Name of the {p}
      type: string
      minLength: 1
      maxLength: 1024
    description:
      description: Description of the {p}
      type: string
      maxLength: 32767
    fileName:
      description: File name of the uploaded file
      type: string
      pattern: '^[0-9a-zA-Z_.-]{{1,255}}$'
    fileUrl:
      description: URL of the uploaded file
      type: string
      format: uri
    imageVersion:
      description: Version of the image it runs with
      $ref: {p}ImageVersion
    tags:
      description: Labels of the {p}
      type: array
      maxItems: 100
      items:
        description: A label
        type: string
        pattern: '^[0-9a-zA-Z_-]{{1,255}}$'
    inputs:
      description: Data made available when it runs
      type: array
      maxItems: 100
      items: {{ $ref: {p}Input }}
    outputs:
      description: Files it produces and where they are stored
      type: array
      maxItems: 100
      items: {{ $ref: {p}Output }}
    stats:
      description: Statistics for the current period
      $ref: {p}Stats

{p}Stats:
  description: Statistics of a {p} for the current period
  type: object
  properties:
    minutesThisPeriod:
      description: Minutes used this period
      type: number
    runsThisPeriod:
      description: Runs this period
      type: number
    errorsThisPeriod:
      description: Runs that errored this period
      type: number
  additionalProperties: false

{p}Input:
  description: An input of a {p}, told apart by `inputType`
  oneOf:
    - $ref: {p}DeviceInput
    - $ref: {p}TableInput
    - $ref: {p}EventInput
    - $ref: {p}UrlInput

{p}DeviceInput:
  description: Device data over a time range
  type: object
  properties:
    inputType:
      description: Kind of input
      type: string
      enum: [deviceData]
    fileName:
      description: Name of the file the input is written to
      $ref: FileName
    deviceIds:
      description: IDs of the selected devices
      type: array
      maxItems: 100
      items: {{ $ref: ObjectIdOrTemplate }}
    attributes:
      description: Device attributes to include
      type: array
      maxItems: 100
      items:
        description: Name of a device attribute
        type: string
        pattern: '^[0-9a-zA-Z_-]{{1,255}}$'
    start:
      description: Start of the time range
      type: number
    end:
      description: End of the time range
      type: number
  required: [inputType, fileName, start, end]
  additionalProperties: false

{p}TableInput:
  description: Rows of a data table
  type: object
  properties:
    inputType:
      description: Kind of input
      type: string
      enum: [dataTable]
    fileName:
      description: Name of the file the input is written to
      $ref: FileName
    dataTableId:
      description: ID of the data table
      $ref: ObjectIdOrTemplate
    queryJson:
      description: Query selecting the rows, as a JSON string
      type: string
      maxLength: 8192
  required: [inputType, fileName, dataTableId]
  additionalProperties: false

{p}EventInput:
  description: Events of the application
  type: object
  properties:
    inputType:
      description: Kind of input
      type: string
      enum: [eventData]
    fileName:
      description: Name of the file the input is written to
      $ref: FileName
    queryJson:
      description: Query selecting the events, as a JSON string
      type: string
      maxLength: 8192
    format:
      description: Format of the file
      type: string
      enum: [csv, json]
      default: csv
  required: [inputType, fileName]
  additionalProperties: false

{p}UrlInput:
  description: A file fetched from a URL
  type: object
  properties:
    inputType:
      description: Kind of input
      type: string
      enum: [externalUrl]
    fileName:
      description: Name of the file the input is written to
      $ref: FileName
    sourceUrl:
      description: URL the file is fetched from
      type: string
      minLength: 1
      maxLength: 1024
  required: [inputType, fileName, sourceUrl]
  additionalProperties: false

{p}Output:
  description: An output of a {p}, told apart by `outputType`
  oneOf:
    - $ref: {p}FileOutput
    - $ref: {p}TableOutput
    - $ref: {p}UrlOutput

{p}FileOutput:
  description: A file stored in the application's files
  type: object
  properties:
    outputType:
      description: Kind of output
      type: string
      enum: [file]
    fileName:
      description: Name of the produced file
      $ref: FileName
    destinationDirectoryTemplate:
      description: Template of the directory the file is stored in
      type: string
      minLength: 1
      maxLength: 1024
    destinationPrivate:
      description: Whether the stored file is private
      type: boolean
  required: [outputType, fileName]
  additionalProperties: false

{p}TableOutput:
  description: A file whose rows go into a data table
  type: object
  properties:
    outputType:
      description: Kind of output
      type: string
      enum: [dataTable]
    fileName:
      description: Name of the produced file
      $ref: FileName
    dataTableId:
      description: ID of the data table
      $ref: ObjectIdOrTemplate
    createMissingColumns:
      description: Whether missing columns are created
      type: boolean
  required: [outputType, fileName, dataTableId]
  additionalProperties: false

{p}UrlOutput:
  description: A file made available at a temporary URL
  type: object
  properties:
    outputType:
      description: Kind of output
      type: string
      enum: [temporaryUrl]
    fileName:
      description: Name of the produced file
      $ref: FileName
  required: [outputType, fileName]
  additionalProperties: false

{p}Patch:
  description: Changes to a {p}
  type: object
  properties:
    name:
      description: Name of the {p}
      type: string
      minLength: 1
      maxLength: 1024
    description:
      description: Description of the {p}
      type: string
      maxLength: 32767
    imageVersion:
      description: Version of the image it runs with
      $ref: {p}ImageVersion
    inputs:
      description: Data made available when it runs
      type: array
      maxItems: 100
      items: {{ $ref: {p}Input }}
    outputs:
      description: Files it produces
      type: array
      maxItems: 100
      items: {{ $ref: {p}Output }}
  additionalProperties: false

{p}ExecutionOptions:
  description: Options of a run of a {p}
  type: object
  properties:
    relativeTo:
      description: Time the run's inputs are relative to
      $ref: RelativeTo
    templateContext:
      description: Context the templates are rendered with, as a JSON string
      type: string
      maxLength: 32767
    email:
      description: Email address to notify
      type: string
      format: email
      maxLength: 1024
    callbackUrl:
      description: URL to call back
      type: string
      format: uri
      maxLength: 1024
  additionalProperties: false

{p}ExportOptions:
  description: Options of an export of the input data of a {p}
  type: object
  properties:
    email:
      description: Email address to send the export to
      type: string
      format: email
      maxLength: 1024
    relativeTo:
      description: Time the exported inputs are relative to
      $ref: RelativeTo
    callbackUrl:
      description: URL to call back
      type: string
      format: uri
      maxLength: 1024
  additionalProperties: false

{p}Log:
  description: The record of one run of a {p}
  type: object
  properties:
    id:
      description: ID of the run
      $ref: ExecutionId
    ownerId:
      description: ID of the {p}
      $ref: {p}Id
    applicationId:
      description: ID of the application
      $ref: ApplicationId
    status:
      description: State of the run
      type: string
      enum: [queued, inProgress, completed, errored, timeout, canceling, canceled]
    sourceType:
      description: Kind of source that requested the run
      type: string
      enum: [flow, user, device, apiToken]
    runQueuedAt:
      description: When the run was queued
      type: string
      format: date-time
    runStartedAt:
      description: When the run started
      type: string
      format: date-time
    runCompletedAt:
      description: When the run finished
      type: string
      format: date-time
    maxAllowedRunMinutes:
      description: Longest the run may take, in minutes
      type: number
    templateContext:
      description: Context the templates were rendered with
      type: string
      maxLength: 32767
    fileInfo:
      description: Files of the run, keyed by name
      type: object
      patternProperties:
        ".*": {{ $ref: {p}FileInfo }}
    errors:
      description: Errors raised by the run
      type: array
      items: {{ $ref: {p}LogError }}

{p}FileInfo:
  description: A file of a run
  type: object
  properties:
    size:
      description: Size of the file
      type: number
    url:
      description: URL of the file
      type: string
    contentType:
      description: Content type of the file
      type: string

{p}LogError:
  description: An error raised by a run
  type: object
  properties:
    name:
      description: Name of the error
      type: string
    message:
      description: Error message
      type: string

{p}Logs:
  description: Records of runs, most recent first
  type: array
  items: {{ $ref: {p}Log }}

{p}MinuteCount:
  description: Usage on one day
  type: object
  properties:
    date:
      description: The day
      type: string
      format: date-time
    minutes:
      description: Minutes used
      type: integer
    completed:
      description: Runs that completed
      type: integer
    errored:
      description: Runs that errored
      type: integer

{p}MinuteCounts:
  description: Usage by day over a time range
  type: object
  properties:
    start:
      description: Start of the time range
      type: string
      format: date-time
    end:
      description: End of the time range
      type: string
      format: date-time
    counts:
      description: Usage for each day of the range
      type: array
      items: {{ $ref: {p}MinuteCount }}
"#
    );
    out
}

/// `resources/<name>.yaml` of resource `index`: its nine operations.
fn resource(index: usize) -> String {
    let name = resource_name(index);
    let p = prefix(index);
    let base = format!("/applications/{{APPLICATION_ID}}/{name}s/{{ITEM_ID}}");
    let scopes = |action: &str| {
        format!(
            "\n      - all.Application\n      - all.Organization\n      - all.User\n      - {name}.*\n      - {name}.{action}"
        )
    };
    let errors = "\n      400: { description: Error if malformed request, schema: { $ref: Error } }\n      404: { description: Error if not found, schema: { $ref: Error } }";
    let mut out = String::new();
    let _ = write!(
        out,
        r#"name: {name}
description: A single {p} of an application.
path_components:
  APPLICATION_ID:
    description: ID associated with the application
    example: "575ec8687ae143cd83dc4a97"
    schema: {{ $ref: ApplicationId }}
  ITEM_ID:
    description: ID associated with the {p}
    example: "575ed78e7ae143cd83dc4aab"
    schema: {{ $ref: {p}Id }}
operations:
  cancelExecution:
    summary: Marks a run for cancellation
    method: POST
    path: {base}/cancelExecution
    scopes:{cancel_scopes}
    query:
      executionId:
        description: The ID of the run to cancel
        required: true
        example: "632e18632f59592e773a4153"
        schema: {{ $ref: ExecutionId }}
    responses:
      200: {{ description: If the run was marked for cancellation, schema: {{ $ref: Success }} }}{errors}

  delete:
    summary: Deletes a {p}
    method: DELETE
    path: {base}
    scopes:{delete_scopes}
    responses:
      200: {{ description: If it was deleted, schema: {{ $ref: Success }} }}{errors}

  execute:
    summary: Runs a {p}
    method: POST
    path: {base}/execute
    scopes:{execute_scopes}
    body:
      content_type: application/json
      schema: {{ $ref: {p}ExecutionOptions }}
      example: '{{"relativeTo":1570549199451}}'
    responses:
      200: {{ description: If the run was queued, schema: {{ $ref: SuccessWithExecutionId }} }}{errors}

  get:
    summary: Retrieves a {p}
    method: GET
    path: {base}
    scopes:{get_scopes}
    responses:
      200: {{ description: The {p}, schema: {{ $ref: {p} }} }}{errors}

  logs:
    summary: Retrieves the runs of a {p}
    method: GET
    path: {base}/logs
    scopes:{logs_scopes}
    query:
      limit:
        description: Max log entries to return
        default: 1
        example: 10
        schema: {{ type: integer }}
      since:
        description: Entries since this time (ms since epoch)
        example: 1465790400000
        schema: {{ type: integer }}
      status:
        description: Only entries in this state
        example: completed
        schema:
          type: string
          enum: [queued, inProgress, completed, errored]
    responses:
      200: {{ description: The runs, schema: {{ $ref: {p}Logs }} }}{errors}

  minuteCounts:
    summary: Returns usage by day
    method: GET
    path: {base}/minuteCounts
    scopes:{counts_scopes}
    query:
      start:
        description: Start of the range (ms since epoch)
        example: 0
        schema: {{ type: integer }}
      end:
        description: End of the range (ms since epoch)
        example: 1465790400000
        schema: {{ type: integer }}
    responses:
      200: {{ description: Usage, schema: {{ $ref: {p}MinuteCounts }} }}{errors}

  patch:
    summary: Updates a {p}
    method: PATCH
    path: {base}
    scopes:{patch_scopes}
    body:
      content_type: application/json
      schema: {{ $ref: {p}Patch }}
      example: '{{"name": "Updated"}}'
    responses:
      200: {{ description: The updated {p}, schema: {{ $ref: {p} }} }}{errors}

  requestInputDataExport:
    summary: Requests a zip file of the input data
    method: POST
    path: {base}/requestInputDataExport
    scopes:{export_scopes}
    body:
      content_type: application/json
      schema: {{ $ref: {p}ExportOptions }}
      example: '{{"email":"user@example.com"}}'
    responses:
      202: {{ description: If a job was enqueued, schema: {{ $ref: JobEnqueuedResult }} }}{errors}

  upload:
    summary: Uploads the file of a {p}
    method: POST
    path: {base}/upload
    scopes:{upload_scopes}
    body:
      content_type: multipart/form-data
      parts:
        file:
          description: The file
          required: true
          kind: file
    responses:
      200: {{ description: The updated {p}, schema: {{ $ref: {p} }} }}{errors}
"#,
        cancel_scopes = scopes("execute"),
        delete_scopes = scopes("delete"),
        execute_scopes = scopes("execute"),
        get_scopes = scopes("get"),
        logs_scopes = scopes("logs"),
        counts_scopes = scopes("minuteCounts"),
        patch_scopes = scopes("patch"),
        export_scopes = scopes("requestInputDataExport"),
        upload_scopes = scopes("upload"),
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn synthetic_specs_generate() {
        let files = codegen::generate_from_sources(&spec(2)).expect("the synthetic spec is valid");
        let names: Vec<&str> = files.iter().map(|f| f.path.as_str()).collect();
        assert!(names.contains(&"src/generated/widget0000.rs"), "{names:?}");
        assert!(names.contains(&"src/generated/widget0001.rs"), "{names:?}");
        let api = codegen::load_model(&spec(3)).expect("the synthetic spec is valid");
        assert_eq!(api.resources.len(), 3);
        for resource in &api.resources {
            assert_eq!(resource.operations.len(), OPERATIONS_PER_RESOURCE);
        }
    }
}
