//! The provider's own client, aws-sdk-apprunner, against the local control
//! plane: the whole service lifecycle, the ListServices paginator across
//! empty pages, and a lost CreateService response.

mod emulator_support;

use std::time::{Duration, Instant};

use aws_sdk_apprunner::Client;
use aws_sdk_apprunner::config::{BehaviorVersion, Credentials, Region};
use aws_sdk_apprunner::types::{
    ImageConfiguration, ImageRepository, ImageRepositoryType, InstanceConfiguration,
    OperationStatus, OperationType, ServiceStatus, SourceConfiguration,
};
use emulator_support::{Emulator, IMAGE};
use serde_json::json;

fn client(emu: &Emulator) -> Client {
    let config = aws_sdk_apprunner::Config::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new("us-east-1"))
        .endpoint_url(&emu.url)
        .credentials_provider(Credentials::new("test", "test", None, None, "static"))
        .build();
    Client::from_conf(config)
}

fn source(start_command: &str) -> SourceConfiguration {
    SourceConfiguration::builder()
        .auto_deployments_enabled(false)
        .image_repository(
            ImageRepository::builder()
                .image_identifier(IMAGE)
                .image_repository_type(ImageRepositoryType::EcrPublic)
                .image_configuration(
                    ImageConfiguration::builder()
                        .port("8080")
                        .start_command(start_command)
                        .runtime_environment_secrets(
                            "TOKEN",
                            "arn:aws:ssm:us-east-1:123456789012:parameter/token",
                        )
                        .build(),
                )
                .build()
                .unwrap(),
        )
        .build()
}

/// Polls DescribeService until the status leaves OPERATION_IN_PROGRESS.
async fn wait(client: &Client, arn: &str) -> aws_sdk_apprunner::types::Service {
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let s = client
            .describe_service()
            .service_arn(arn)
            .send()
            .await
            .unwrap()
            .service
            .unwrap();
        if s.status != ServiceStatus::OperationInProgress {
            return s;
        }
        assert!(Instant::now() < deadline, "still in progress");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test]
async fn sdk_runs_the_service_lifecycle() {
    let emu = Emulator::start(&["--operation-duration", "300ms"]);
    let client = client(&emu);

    let created = client
        .create_service()
        .service_name("sdk-svc")
        .source_configuration(source("node server.js"))
        .instance_configuration(
            InstanceConfiguration::builder()
                .cpu("1 vCPU")
                .memory("3 GB")
                .build(),
        )
        .send()
        .await
        .unwrap();
    let service = created.service.unwrap();
    assert_eq!(service.status, ServiceStatus::OperationInProgress);
    let arn = service.service_arn;
    assert!(arn.starts_with("arn:aws:apprunner:us-east-1:123456789012:service/sdk-svc/"));
    assert_eq!(service.service_id.len(), 32);
    assert!(
        service
            .service_url
            .unwrap()
            .ends_with(".us-east-1.awsapprunner.com")
    );

    let running = wait(&client, &arn).await;
    assert_eq!(running.status, ServiceStatus::Running);
    let instance = running.instance_configuration.unwrap();
    assert_eq!(
        (instance.cpu.as_deref(), instance.memory.as_deref()),
        (Some("1024"), Some("3072"))
    );
    let image = running
        .source_configuration
        .unwrap()
        .image_repository
        .unwrap()
        .image_configuration
        .unwrap();
    assert_eq!(image.start_command.as_deref(), Some("node server.js"));
    assert_eq!(image.runtime_environment_secrets.unwrap().len(), 1);
    let asc = running.auto_scaling_configuration_summary.unwrap();
    assert_eq!(
        asc.auto_scaling_configuration_name.as_deref(),
        Some("DefaultConfiguration")
    );
    assert_eq!(
        asc.status.unwrap().as_str(),
        "active",
        "lowercase on the wire"
    );

    let updated = client
        .update_service()
        .service_arn(&arn)
        .source_configuration(source("node other.js"))
        .send()
        .await
        .unwrap();
    assert_eq!(
        updated.service.unwrap().status,
        ServiceStatus::OperationInProgress
    );
    let update_op = updated.operation_id;
    let after_update = wait(&client, &arn).await;
    assert_eq!(after_update.status, ServiceStatus::Running);
    let image = after_update
        .source_configuration
        .unwrap()
        .image_repository
        .unwrap()
        .image_configuration
        .unwrap();
    assert_eq!(image.start_command.as_deref(), Some("node other.js"));

    let pause_op = client
        .pause_service()
        .service_arn(&arn)
        .send()
        .await
        .unwrap()
        .operation_id
        .unwrap();
    assert_eq!(wait(&client, &arn).await.status, ServiceStatus::Paused);
    let resume_op = client
        .resume_service()
        .service_arn(&arn)
        .send()
        .await
        .unwrap()
        .operation_id
        .unwrap();
    assert_eq!(wait(&client, &arn).await.status, ServiceStatus::Running);
    let deploy_op = client
        .start_deployment()
        .service_arn(&arn)
        .send()
        .await
        .unwrap()
        .operation_id;
    assert_eq!(wait(&client, &arn).await.status, ServiceStatus::Running);

    let ops = client
        .list_operations()
        .service_arn(&arn)
        .send()
        .await
        .unwrap()
        .operation_summary_list
        .unwrap();
    let seen: Vec<(String, OperationType, OperationStatus)> = ops
        .iter()
        .map(|o| {
            (
                o.id.clone().unwrap(),
                o.r#type.clone().unwrap(),
                o.status.clone().unwrap(),
            )
        })
        .collect();
    assert_eq!(seen.len(), 5);
    assert_eq!(
        seen[0],
        (
            deploy_op,
            OperationType::StartDeployment,
            OperationStatus::Succeeded
        )
    );
    assert_eq!(
        seen[1],
        (
            resume_op,
            OperationType::ResumeService,
            OperationStatus::Succeeded
        )
    );
    assert_eq!(
        seen[2],
        (
            pause_op,
            OperationType::PauseService,
            OperationStatus::Succeeded
        )
    );
    assert_eq!(
        seen[3],
        (
            update_op,
            OperationType::UpdateService,
            OperationStatus::Succeeded
        )
    );
    assert_eq!(seen[4].1, OperationType::CreateService);
    assert!(
        ops.iter()
            .all(|o| o.ended_at.is_some() && o.target_arn.as_deref() == Some(arn.as_str()))
    );

    let deleting = client
        .delete_service()
        .service_arn(&arn)
        .send()
        .await
        .unwrap();
    assert!(!deleting.operation_id.is_empty());
    assert_eq!(wait(&client, &arn).await.status, ServiceStatus::Deleted);
    let listed = client
        .list_services()
        .send()
        .await
        .unwrap()
        .service_summary_list;
    assert!(listed.is_empty());
    assert_eq!(emu.state()["total"], 0);
}

#[tokio::test]
async fn sdk_paginator_follows_tokens_across_empty_pages() {
    let emu = Emulator::start(&["--operation-duration", "0s"]);
    let client = client(&emu);
    for i in 0..5 {
        emu.create_service(&format!("page-svc-{i}"));
    }
    let pages: Vec<_> = client
        .list_services()
        .max_results(2)
        .into_paginator()
        .send()
        .collect::<Vec<_>>()
        .await;
    let sizes: Vec<usize> = pages
        .into_iter()
        .map(|p| p.unwrap().service_summary_list.len())
        .collect();
    assert!(
        sizes.contains(&0),
        "an empty page carrying a NextToken: {sizes:?}"
    );
    assert_eq!(sizes.iter().sum::<usize>(), 5);
}

#[tokio::test]
async fn sdk_sees_a_dropped_create_response_and_nothing_is_duplicated() {
    let emu = Emulator::start(&["--operation-duration", "0s"]);
    emu.add_fault(json!({ "operation": "CreateService", "kind": "drop_response", "count": 1 }));
    let client = client(&emu);
    let result = client
        .create_service()
        .service_name("lost-svc")
        .source_configuration(source("x"))
        .send()
        .await;
    // The SDK may retry the dropped call; the retry then finds the name taken.
    match &result {
        Ok(_) => panic!("the first response was dropped, so the call cannot simply succeed"),
        Err(e) => {
            let text = format!("{e:?}");
            assert!(
                text.contains("already exists")
                    || text.contains("DispatchFailure")
                    || text.contains("ResponseError"),
                "{text}"
            );
        }
    }
    let state = emu.state();
    assert_eq!(
        state["counts"]["services"], 1,
        "the change was made exactly once"
    );
    let services = client
        .list_services()
        .send()
        .await
        .unwrap()
        .service_summary_list;
    assert_eq!(services.len(), 1);
    assert_eq!(services[0].service_name.as_deref(), Some("lost-svc"));
}
