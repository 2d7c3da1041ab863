package io.hoptrace.inventory;

/** The node's network could not be read (a command failed, timed out, or printed bad JSON). */
public final class InventoryException extends Exception {
  private static final long serialVersionUID = 1L;

  public InventoryException(String message) {
    super(message);
  }

  public InventoryException(String message, Throwable cause) {
    super(message, cause);
  }
}
