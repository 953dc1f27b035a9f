//! ImportFollowers: a follower file's bytes in pieces, read by the server's own importers.

use followscore::grpc::pb;

use crate::helpers::*;

const EXAMPLES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/examples");

fn example(name: &str) -> Vec<u8> {
    std::fs::read(format!("{EXAMPLES}/{name}")).unwrap()
}

/// The messages of one import: the start, then `data` cut into pieces of `piece` bytes.
fn messages(
    account: &str,
    format: pb::ImportFormat,
    data: &[u8],
    piece: usize,
) -> Vec<pb::ImportFollowersRequest> {
    let start = pb::ImportFollowersRequest {
        part: Some(pb::import_followers_request::Part::Start(pb::ImportStart {
            account_id: account.into(),
            format: format as i32,
        })),
    };
    std::iter::once(start)
        .chain(data.chunks(piece).map(|bytes| pb::ImportFollowersRequest {
            part: Some(pb::import_followers_request::Part::Data(bytes.to_vec())),
        }))
        .collect()
}

pub async fn import(
    client: &mut Client,
    account: &str,
    format: pb::ImportFormat,
    data: &[u8],
    piece: usize,
) -> Result<pb::ImportFollowersResponse, tonic::Status> {
    let requests = messages(account, format, data, piece);
    client
        .import_followers(tokio_stream::iter(requests))
        .await
        .map(tonic::Response::into_inner)
}

#[tokio::test]
async fn the_example_linkedin_export_is_imported_with_its_two_bad_rows_reported() {
    let mut app = spawn_app().await;
    upsert(&mut app.client, account()).await;
    // Odd piece sizes cut lines and multi-byte characters in two.
    let data = example("followers_linkedin.csv");
    let answer = import(
        &mut app.client,
        ACCOUNT,
        pb::ImportFormat::LinkedinCsv,
        &data,
        997,
    )
    .await
    .unwrap();

    assert_eq!(answer.format, pb::ImportFormat::LinkedinCsv as i32);
    assert_eq!(
        (answer.rows_read, answer.rows_scored, answer.rows_skipped),
        (300, 298, 2)
    );
    let errors: Vec<(u64, &str)> = answer
        .errors
        .iter()
        .map(|e| (e.line, e.field.as_str()))
        .collect();
    assert_eq!(errors, [(98, "Profile URL"), (315, "Profile URL")]);
    assert!(answer.errors.iter().all(|e| e.code == "invalid_argument"));
    assert_eq!(answer.followers.len(), 298);
    assert_eq!(answer.followers_omitted, 0);

    // Every summary names a stored follower, with the stored verdict.
    let first = &answer.followers[0];
    assert_eq!(first.line, 2);
    let stored = get(&mut app.client, pb::Platform::Linkedin, &first.follower_id)
        .await
        .expect("stored");
    assert_eq!(
        (
            stored.category,
            stored.lead_tier,
            stored.tier_label.as_str()
        ),
        (first.category, first.lead_tier, first.tier_label.as_str())
    );
    assert_eq!(report(&mut app.client).await.total_followers, 298);
}

#[tokio::test]
async fn a_bad_row_is_reported_with_its_line_and_field_and_the_others_are_stored() {
    let mut app = spawn_app().await;
    upsert(&mut app.client, account()).await;
    let csv = "Profile URL,Full Name,Headline,Company,Connections\n\
               https://www.linkedin.com/in/ada-one/,Ada One,CTO at Tailspin Toys,Tailspin Toys,500+\n\
               ,No Url,Nobody,Nowhere,12\n\
               https://www.linkedin.com/in/bob-three/,Bob Three,Data Engineer,Contoso,80\n";
    let answer = import(
        &mut app.client,
        ACCOUNT,
        pb::ImportFormat::Auto,
        csv.as_bytes(),
        16,
    )
    .await
    .unwrap();
    assert_eq!(
        (answer.rows_read, answer.rows_scored, answer.rows_skipped),
        (3, 2, 1)
    );
    let error = &answer.errors[0];
    assert_eq!((error.line, error.field.as_str()), (3, "Profile URL"));
    assert!(error.message.starts_with("Profile URL: "), "{error:?}");
    let lines: Vec<u64> = answer.followers.iter().map(|f| f.line).collect();
    assert_eq!(lines, [2, 4]);
}

#[tokio::test]
async fn auto_detects_each_format_from_the_first_line() {
    let mut app = spawn_app().await;
    upsert(&mut app.client, account()).await;
    let check = |file: &str, format: pb::ImportFormat, rows: u64| (file.to_owned(), format, rows);
    let cases = [
        check(
            "followers_twitter_v2.jsonl",
            pb::ImportFormat::TwitterJson,
            250,
        ),
        check("followers_twitter.csv", pb::ImportFormat::TwitterCsv, 250),
        check("followers_linkedin.csv", pb::ImportFormat::LinkedinCsv, 298),
    ];
    for (file, format, rows) in cases {
        for given in [pb::ImportFormat::Auto, pb::ImportFormat::Unspecified] {
            let answer = import(&mut app.client, ACCOUNT, given, &example(&file), 64 * 1024)
                .await
                .unwrap();
            assert_eq!(answer.format, format as i32, "{file}");
            assert_eq!(answer.rows_scored, rows, "{file}");
        }
    }
}

#[tokio::test]
async fn refused_imports_get_their_status() {
    let mut app = spawn_app().await;
    upsert(&mut app.client, account()).await;
    let linkedin = example("followers_linkedin.csv");
    let one_piece_too_many = vec![b'x'; 1024 * 1024 + 1];
    let check = |account: &str, format: pb::ImportFormat, data: &[u8], piece: usize, code| {
        (account.to_owned(), format, data.to_vec(), piece, code)
    };
    let cases = [
        check(
            "nobody",
            pb::ImportFormat::LinkedinCsv,
            &linkedin,
            4096,
            tonic::Code::NotFound,
        ),
        check(
            "",
            pb::ImportFormat::Auto,
            &linkedin,
            4096,
            tonic::Code::InvalidArgument,
        ),
        // A header neither importer knows: the format cannot be detected.
        check(
            ACCOUNT,
            pb::ImportFormat::Auto,
            b"a,b,c\n1,2,3\n",
            4096,
            tonic::Code::InvalidArgument,
        ),
        // Nothing to detect a format from.
        check(
            ACCOUNT,
            pb::ImportFormat::Auto,
            b"",
            4096,
            tonic::Code::InvalidArgument,
        ),
        // A LinkedIn export without a profile column is refused whole.
        check(
            ACCOUNT,
            pb::ImportFormat::LinkedinCsv,
            b"name,title\nAda,CTO\n",
            4096,
            tonic::Code::InvalidArgument,
        ),
        check(
            ACCOUNT,
            pb::ImportFormat::TwitterJson,
            &one_piece_too_many,
            one_piece_too_many.len(),
            tonic::Code::ResourceExhausted,
        ),
    ];
    for (account, format, data, piece, code) in cases {
        let status = import(&mut app.client, &account, format, &data, piece)
            .await
            .unwrap_err();
        assert_eq!(status.code(), code, "{account} {format:?}: {status:?}");
    }

    // An unknown format value.
    let mut requests = messages(ACCOUNT, pb::ImportFormat::Auto, b"", 1);
    if let Some(pb::import_followers_request::Part::Start(start)) = &mut requests[0].part {
        start.format = 99;
    }
    let status = app
        .client
        .import_followers(tokio_stream::iter(requests))
        .await
        .unwrap_err();
    assert_eq!(status.code(), tonic::Code::InvalidArgument);
    assert!(status.message().contains("start.format"), "{status:?}");

    // Data before the start.
    let data_first = vec![pb::ImportFollowersRequest {
        part: Some(pb::import_followers_request::Part::Data(b"{}".to_vec())),
    }];
    let status = app
        .client
        .import_followers(tokio_stream::iter(data_first))
        .await
        .unwrap_err();
    assert_eq!(status.code(), tonic::Code::InvalidArgument);
}

#[tokio::test]
async fn an_import_beyond_the_total_size_is_resource_exhausted() {
    let mut app = spawn_app().await;
    upsert(&mut app.client, account()).await;
    // One endless line: the importer skips it without holding it, so only the total counts.
    let max_total = 64 * 1024 * 1024;
    let data = vec![b'x'; max_total + 1];
    let status = import(
        &mut app.client,
        ACCOUNT,
        pb::ImportFormat::TwitterJson,
        &data,
        1024 * 1024,
    )
    .await
    .unwrap_err();
    assert_eq!(status.code(), tonic::Code::ResourceExhausted, "{status:?}");
    assert!(status.message().contains("67108864"), "{status:?}");
}

#[tokio::test]
async fn row_errors_beyond_the_answer_limit_are_counted() {
    let mut app = spawn_app().await;
    upsert(&mut app.client, account()).await;
    let good = example("followers_twitter_v2.jsonl");
    let first_good_line = good.split(|&b| b == b'\n').next().unwrap();
    let mut data = b"{\"name\": \"no id\"}\n".repeat(1_003);
    data.extend_from_slice(first_good_line);
    let answer = import(
        &mut app.client,
        ACCOUNT,
        pb::ImportFormat::Auto,
        &data,
        4096,
    )
    .await
    .unwrap();
    assert_eq!(
        (answer.rows_read, answer.rows_scored, answer.rows_skipped),
        (1_004, 1, 1_003)
    );
    assert_eq!((answer.errors.len(), answer.errors_omitted), (1_000, 3));
    assert_eq!(answer.errors[999].line, 1_000);
    assert_eq!(answer.followers[0].line, 1_004);
}
