package org.clinicalfunctions.ingest;

import java.net.http.HttpClient;
import java.time.Clock;
import java.util.function.Function;

import org.clinicalfunctions.http.FunctionReply;
import org.clinicalfunctions.http.InvalidEventReply;
import org.clinicalfunctions.http.PayloadTooLargeReply;
import org.clinicalfunctions.http.RequestGuard;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.messaging.Message;

/** hl7-ingest: receives HL7 v2 over HTTP, publishes one CloudEvent per message, answers with HL7 ACKs. */
@SpringBootApplication
@EnableConfigurationProperties({IngestProperties.class, SignatureProperties.class})
public class Hl7IngestApplication {

    public static void main(String[] args) {
        SpringApplication.run(Hl7IngestApplication.class, args);
    }

    @Bean
    Function<Message<byte[]>, Message<byte[]>> hl7Ingest(HttpClient brokerClient, IngestProperties properties) {
        return new Hl7Ingest(new BrokerPublisher(brokerClient, properties));
    }

    /** Every POST is checked for a lab's signature before it is read as HL7 or as a CloudEvent. */
    @Bean
    RequestGuard webhookSignatures(SignatureProperties properties) {
        return new WebhookSignatureGuard(properties, Clock.systemUTC());
    }

    /** Closed by the context on shutdown, after graceful shutdown let in-flight posts finish. */
    @Bean
    HttpClient brokerClient(IngestProperties properties) {
        return HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(properties.connectTimeout())
                .build();
    }

    /** A body over the size limit is still answered in HL7 terms, so the sender's engine can read why. */
    @Bean
    PayloadTooLargeReply hl7TooLarge() {
        return limit -> FunctionReply.http(413, Hl7Acknowledgement.CONTENT_TYPE, Hl7Acknowledgement.reject(null,
                "207", "", "message body larger than " + limit + " bytes; split it or send it by other means"));
    }

    /** A broken CloudEvent wrapper is answered AR like any message that can never be processed. */
    @Bean
    InvalidEventReply hl7InvalidEvent() {
        return () -> FunctionReply.http(400, Hl7Acknowledgement.CONTENT_TYPE, Hl7Acknowledgement.reject(null,
                "102", "", "not a valid CloudEvent: check the ce- headers or the structured JSON"));
    }
}
