package io.hoptrace.history;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

/** Parsing and validation of filter values and store settings. */
class FilterArgsTest {
  @Test
  void cidrBecomesAnIpv4Range() {
    AddressFilter f = AddressFilter.parse("10.244.1.7/24");
    assertThat(f.low()).isEqualTo((10L << 24) | (244L << 16) | (1L << 8));
    assertThat(f.high()).isEqualTo(f.low() + 255);
    assertThat(AddressFilter.parse("0.0.0.0/0").high()).isEqualTo(0xFFFFFFFFL);
    AddressFilter one = AddressFilter.parse("10.244.1.2");
    assertThat(one.low()).isEqualTo(one.high());
    assertThat(AddressFilter.parse("FD00:0::1").text()).isEqualTo("fd00::1");
    assertThat(AddressFilter.parse("fd00::1").isV6()).isTrue();
  }

  @Test
  void badAddressesAreRefusedSayingWhy() {
    assertThatThrownBy(() -> AddressFilter.parse("pod-b1"))
        .hasMessage("'pod-b1': not an IP address or IPv4 CIDR");
    assertThatThrownBy(() -> AddressFilter.parse("10.0.0.0/33"))
        .hasMessage("'10.0.0.0/33': prefix length must be 0..32");
    assertThatThrownBy(() -> AddressFilter.parse("fd00::/8"))
        .hasMessageContaining("IPv6 prefixes are not supported");
  }

  @Test
  void timesAreInstantsDatesOrAges() {
    Instant now = Instant.parse("2026-12-04T13:10:00Z");
    assertThat(TimeArg.parse("2026-12-04T13:00:00Z", now))
        .isEqualTo(Instant.parse("2026-12-04T13:00:00Z"));
    assertThat(TimeArg.parse("2026-12-04T13:00", now))
        .isEqualTo(Instant.parse("2026-12-04T13:00:00Z"));
    assertThat(TimeArg.parse("2026-12-04", now)).isEqualTo(Instant.parse("2026-12-04T00:00:00Z"));
    assertThat(TimeArg.parse("90m", now)).isEqualTo(Instant.parse("2026-12-04T11:40:00Z"));
    assertThat(TimeArg.parse("2d", now)).isEqualTo(Instant.parse("2026-12-02T13:10:00Z"));
    assertThatThrownBy(() -> TimeArg.parse("yesterday", now))
        .hasMessageStartingWith("'yesterday': not a time");
  }

  @Test
  void flowFilterValuesAreChecked() {
    assertThatThrownBy(() -> new FlowFilter().port(70000)).hasMessage("70000: must be 0..65535");
    assertThatThrownBy(() -> new FlowFilter().limit(0)).hasMessage("0: must be >= 1");
    assertThatThrownBy(() -> new FlowFilter().verdict("one way"))
        .hasMessageStartingWith("'one way': not a verdict");
    assertThatThrownBy(() -> new FlowFilter().lostAt("ens33"))
        .hasMessageStartingWith("'ens33': not a hop id");
    FlowFilter backwards =
        new FlowFilter()
            .since(Instant.parse("2026-12-04T14:00:00Z"))
            .until(Instant.parse("2026-12-04T13:00:00Z"));
    assertThatThrownBy(backwards::sql).hasMessageContaining("is after until");
    // values are SQL literals, never SQL
    assertThat(new FlowFilter().verdict("OK").lostAt("n/it's").sql()).contains("'n/it''s'");
  }

  @Test
  void untilBoundsTheHourPartitionsRead() {
    String sql = new FlowFilter().until(Instant.parse("2026-12-04T13:59:00Z")).sql();
    assertThat(sql)
        .contains("(date < DATE '2026-12-04' OR (date = DATE '2026-12-04' AND hour <= 13))");
  }

  @Test
  void sinceBoundsThePartitionsFromBelowByTheLongestFlowSpan() {
    FlowFilter f = new FlowFilter().since(Instant.parse("2026-12-04T13:30:00Z"));
    assertThat(f.sql()).doesNotContain("date >");
    assertThat(f.sql(2 * 3600 * 1_000_000_000L))
        .contains("(date > DATE '2026-12-04' OR (date = DATE '2026-12-04' AND hour >= 11))");
  }

  @Test
  void storeSettingsAreValidated() {
    StoreConfig d = StoreConfig.defaults();
    assertThat(d.batchRecords()).isEqualTo(StoreConfig.BATCH_RECORDS_DEFAULT);
    assertThat(d.retentionDays()).isZero();
    assertThatThrownBy(() -> new StoreConfig(Map.of(StoreConfig.RETENTION_DAYS, -1)))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(StoreConfig.RETENTION_DAYS);
    assertThatThrownBy(() -> new StoreConfig(Map.of(StoreConfig.BATCH_RECORDS, 0)))
        .hasMessageContaining(StoreConfig.BATCH_RECORDS);
  }
}
