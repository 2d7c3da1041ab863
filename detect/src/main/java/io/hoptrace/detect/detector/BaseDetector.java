package io.hoptrace.detect.detector;

import io.hoptrace.detect.Setting;
import io.hoptrace.schema.AlertType;
import java.util.List;
import java.util.Set;

/**
 * What every detector states about itself once, in its constructor: its alert spec, its registered
 * settings, the persisted code of its state slice and the detectors it runs after. Subclasses add
 * their state slice and hooks.
 */
public abstract class BaseDetector<S> implements Detector<S> {
  private final AlertSpec alert;
  private final Detectors.Registration registration;
  private final int stateCode;
  private final Set<AlertType> after;

  protected BaseDetector(
      AlertSpec alert, Detectors.Registration registration, int stateCode, Set<AlertType> after) {
    this.alert = alert;
    this.registration = registration;
    this.stateCode = stateCode;
    this.after = Set.copyOf(after);
  }

  @Override
  public final AlertSpec alert() {
    return alert;
  }

  @Override
  public final List<Setting<?>> settings() {
    return registration.settings();
  }

  @Override
  public final int stateCode() {
    return stateCode;
  }

  @Override
  public final Set<AlertType> after() {
    return after;
  }
}
