package io.tracemark.trace.gs1;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;

/** A GLN-13 with a correct check digit. Null is left to {@code @NotNull}. */
@Documented
@Constraint(validatedBy = Gln.Validator.class)
@Target({ ElementType.FIELD, ElementType.PARAMETER, ElementType.RECORD_COMPONENT, ElementType.METHOD })
@Retention(RetentionPolicy.RUNTIME)
public @interface Gln {
    String message() default "is not a valid GLN";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};

    class Validator implements ConstraintValidator<Gln, String> {
        @Override
        public boolean isValid(String value, ConstraintValidatorContext context) {
            if (value == null || Gs1Keys.isGln(value)) {
                return true;
            }
            context.disableDefaultConstraintViolation();
            context.buildConstraintViolationWithTemplate("GLN " + Gs1Keys.whyNotGln(value)).addConstraintViolation();
            return false;
        }
    }
}
